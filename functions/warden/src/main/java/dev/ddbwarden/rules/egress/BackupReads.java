package dev.ddbwarden.rules.egress;

import dev.ddbwarden.backup.BackupApi;
import dev.ddbwarden.backup.BackupApiException;
import dev.ddbwarden.backup.BackupCoverage;
import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.state.CallAugment;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The egress rule's questions to AWS Backup (through ddb-warden's own client, {@link BackupApi}): what an advanced
 * recovery point a copy job copies was taken of ({@link #source}), and what a plan covers of DynamoDB and where its
 * copy actions send recovery points ({@link #plans}).
 */
final class BackupReads {
    static final String CREATE_PLAN = "CreateBackupPlan";
    static final String UPDATE_PLAN = "UpdateBackupPlan";
    static final String CREATE_SELECTION = "CreateBackupSelection";
    /** Plan and selection IDs and version IDs as AWS Backup writes them; anything else in a record is not sent. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9+/=_-]{1,1024}");
    private static final Pattern VAULT_NAME = Pattern.compile("[a-zA-Z0-9_.-]{2,50}");

    private final BiFunction<String, String, BackupApi> apis;

    BackupReads(BiFunction<String, String, BackupApi> apis) {
        this.apis = apis;
    }

    /** DescribeRecoveryPoint of StartCopyJob's recovery point, when its ARN is AWS Backup's own (advanced features). */
    CallAugment<Coverage> source() {
        return new CallAugment<>() {
            @Override
            public Class<Coverage> type() {
                return Coverage.class;
            }

            @Override
            public Optional<Coverage> read(ApiCall call, Settings settings) {
                String point = call.request("recoveryPointArn");
                String vault = call.request("sourceBackupVaultName");
                if (!Copies.START_COPY_JOB.equals(call.eventName()) || !BackupCopies.advanced(point)
                        || !VAULT_NAME.matcher(vault).matches()) {
                    return Optional.empty();
                }
                return Optional.of(new BackupCoverage(apis).ofRecoveryPoint(call.accountId(), call.region(), vault, point));
            }
        };
    }

    /** A plan's coverage (its selections, or the new selection) and, when it may be DynamoDB, its copy actions. */
    CallAugment<PlanCopies> plans() {
        return new CallAugment<>() {
            @Override
            public Class<PlanCopies> type() {
                return PlanCopies.class;
            }

            @Override
            public Optional<PlanCopies> read(ApiCall call, Settings settings) {
                return BackupCopies.planId(call).map(planId -> plan(call, planId));
            }
        };
    }

    private PlanCopies plan(ApiCall call, String planId) {
        String account = call.accountId();
        String region = call.region();
        Coverage coverage;
        if (CREATE_SELECTION.equals(call.eventName())) {
            String selection = call.responseElements().path("selectionId").asText("");
            try {
                coverage = ID.matcher(selection).matches()
                        ? Coverage.ofSelections(planId, List.of(apis.apply(account, region).selection(planId, selection)))
                        : new Coverage.Unknown("the record names no selection ID to read");
            } catch (BackupApiException e) {
                coverage = new Coverage.Unknown(e.reason());
            }
        } else {
            coverage = new BackupCoverage(apis).ofPlan(account, region, planId);
        }
        if (coverage instanceof Coverage.NotDynamoDb) {
            return new PlanCopies(coverage, List.of(), Optional.empty());
        }
        String version = CREATE_SELECTION.equals(call.eventName()) ? "" : call.responseElements().path("versionId").asText("");
        try {
            BackupApi.Plan plan = apis.apply(account, region).backupPlan(planId,
                    ID.matcher(version).matches() ? Optional.of(version) : Optional.empty());
            return new PlanCopies(coverage, plan.rules().stream().flatMap(rule -> rule.copyDestinations().stream()).toList(),
                    Optional.empty());
        } catch (BackupApiException e) {
            return new PlanCopies(coverage, List.of(), Optional.of(e.reason()));
        }
    }
}
