package dev.ddbwarden.rules.backups;

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
 * Asks AWS Backup what an UpdateBackupPlan changed: what the plan covers of DynamoDB (its selections), and, only when
 * that may be DynamoDB, the plan's version before this one (ListBackupPlanVersions) against the version the call made
 * (the answer's {@code versionId}), both read with GetBackupPlan: the stored plan, not the record's copy of the request.
 */
final class PlanRetention implements CallAugment<PlanChange> {
    /** AWS Backup's version IDs are base64 text; anything else in a record is not sent, and the current version is read. */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9+/=_-]{1,1024}");

    private final BiFunction<String, String, BackupApi> apis;

    PlanRetention(BiFunction<String, String, BackupApi> apis) {
        this.apis = apis;
    }

    @Override
    public Class<PlanChange> type() {
        return PlanChange.class;
    }

    @Override
    public Optional<PlanChange> read(ApiCall call, Settings settings) {
        if (!BackupCalls.UPDATE_PLAN.equals(call.eventName()) || BackupCalls.byAwsBackup(call)) {
            return Optional.empty();
        }
        String version = call.responseElements().path("versionId").asText("");
        return BackupCalls.plan(call).map(plan -> read(call.accountId(), call.region(), plan.name(),
                VERSION.matcher(version).matches() ? version : ""));
    }

    private PlanChange read(String account, String region, String planId, String newVersion) {
        Coverage coverage = new BackupCoverage(apis).ofPlan(account, region, planId);
        if (coverage instanceof Coverage.NotDynamoDb) {
            return new PlanChange(coverage, List.of(), Optional.empty());
        }
        try {
            BackupApi api = apis.apply(account, region);
            List<BackupApi.PlanVersion> versions = api.planVersions(planId);
            int made = versions.stream().map(BackupApi.PlanVersion::versionId).toList().indexOf(newVersion);
            int previous = (made < 0 ? versions.size() : made) - 1;
            if (previous < 0) {
                return new PlanChange(coverage, List.of(), Optional.of("AWS Backup lists no version of plan " + planId
                        + " before " + (newVersion.isEmpty() ? "the current one" : newVersion)));
            }
            BackupApi.Plan before = api.backupPlan(planId, Optional.of(versions.get(previous).versionId()));
            BackupApi.Plan after = api.backupPlan(planId, newVersion.isEmpty() ? Optional.empty() : Optional.of(newVersion));
            return new PlanChange(coverage, PlanChange.shortened(before, after), Optional.empty());
        } catch (BackupApiException e) {
            return new PlanChange(coverage, List.of(), Optional.of(e.reason()));
        }
    }
}
