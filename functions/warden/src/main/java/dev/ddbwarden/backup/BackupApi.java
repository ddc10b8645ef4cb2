package dev.ddbwarden.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.PerAccount;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * ddb-warden's own AWS Backup client, because the AWS SDK's {@code backup} module is not served by the registry this
 * project builds from (2.57.8, 2.59.1 and 2.60.0 refused): six read calls of AWS Backup's REST-JSON API, exactly those
 * the backups and egress rules decide on, and nothing else. DescribeRecoveryPoint and ListRecoveryPointsByBackupVault
 * (what a recovery point or a vault holds), GetBackupPlan, ListBackupPlanVersions, ListBackupSelections and
 * GetBackupSelection (what a plan keeps, copies and covers). Paths and fields follow the AWS Backup API reference
 * (docs/backups.md names the pages); requests are signed and sent by {@link BackupHttp} with the SDK's own signer and
 * HTTP client and the account's credentials ({@link #in}), so nothing is added to the deployable artifact. Every
 * failure is one of the closed set of {@link BackupApiException.Kind}. Should the module become available, its
 * client replaces this class.
 */
public final class BackupApi {
    /** Pages read of a list before giving up: a rule fails closed rather than judging on part of a list. */
    static final int MAX_PAGES = 10;
    private static final PerAccount<Function<String, BackupApi>> ACCOUNTS = PerAccount.of(BackupApi::regions);

    private final BackupHttp http;

    BackupApi(BackupHttp http) {
        this.http = http;
    }

    /**
     * The container's client for {@code region} of {@code accountId} ({@link PerAccount#OWN}: this account), with that
     * account's credentials ({@link PerAccount}): a member's recovery point, vault or plan is asked of AWS Backup in the
     * member account, where it is, never in this one, where it is not. Built on first use, then kept.
     */
    public static BackupApi in(String accountId, String region) {
        return ACCOUNTS.apply(accountId).apply(region);
    }

    private static Function<String, BackupApi> regions(AwsCredentialsProvider credentials) {
        Map<String, BackupApi> regions = new ConcurrentHashMap<>();
        return region -> regions.computeIfAbsent(region, r -> new BackupApi(new BackupHttp(Clients.http(),
                BackupHttp.endpoint(r, System::getProperty, System::getenv), r, credentials, Sleeper.REAL)));
    }

    /** A recovery point as AWS Backup describes it: what it was taken of. */
    public record RecoveryPoint(String arn, String resourceArn, String resourceType) {
        /** Whether it holds a DynamoDB table's data. */
        public boolean ofDynamoDb() {
            return "DynamoDB".equals(resourceType) || resourceArn.contains(":dynamodb:");
        }
    }

    /** One rule of a backup plan: how long its recovery points live and the vaults they are copied to. */
    public record PlanRule(String name, Optional<Long> deleteAfterDays, List<String> copyDestinations) {
    }

    /** A version of a backup plan. */
    public record Plan(String planId, String versionId, String name, List<PlanRule> rules) {
    }

    /** A version of a plan in the plan's history. */
    public record PlanVersion(String versionId, Instant created) {
    }

    /**
     * What a selection assigns to its plan: resources by ARN (or {@code *}), those left out, and whether tags or
     * conditions pick resources too (which no read can resolve to tables).
     */
    public record Selection(String selectionId, String name, List<String> resources, List<String> notResources,
                            boolean byTagsOrConditions) {
    }

    /** DescribeRecoveryPoint: GET /backup-vaults/{backupVaultName}/recovery-points/{recoveryPointArn}. */
    public RecoveryPoint describeRecoveryPoint(String vault, String recoveryPointArn) {
        JsonNode point = http.get("/backup-vaults/{}/recovery-points/{}", Map.of(), vault, recoveryPointArn);
        return new RecoveryPoint(point.path("RecoveryPointArn").asText(recoveryPointArn), point.path("ResourceArn").asText(""),
                point.path("ResourceType").asText(""));
    }

    /**
     * ListRecoveryPointsByBackupVault filtered by resource type (query {@code resourceType}): at most {@code limit} of the
     * vault's recovery points of that type.
     */
    public List<RecoveryPoint> recoveryPointsOfType(String vault, String resourceType, int limit) {
        List<RecoveryPoint> points = new ArrayList<>();
        pages("/backup-vaults/{}/recovery-points/", Map.of("resourceType", resourceType), "RecoveryPoints", vault,
                point -> {
                    points.add(new RecoveryPoint(point.path("RecoveryPointArn").asText(""),
                            point.path("ResourceArn").asText(""), point.path("ResourceType").asText("")));
                    return points.size() < limit;
                });
        return List.copyOf(points);
    }

    /** GetBackupPlan: GET /backup/plans/{backupPlanId}/, of {@code versionId} when given, else the current version. */
    public Plan backupPlan(String planId, Optional<String> versionId) {
        JsonNode answer = http.get("/backup/plans/{}/", versionId.map(v -> Map.of("versionId", v)).orElse(Map.of()), planId);
        List<PlanRule> rules = new ArrayList<>();
        for (JsonNode rule : answer.path("BackupPlan").path("Rules")) {
            List<String> copies = new ArrayList<>();
            for (JsonNode copy : rule.path("CopyActions")) {
                copies.add(copy.path("DestinationBackupVaultArn").asText(""));
            }
            JsonNode days = rule.path("Lifecycle").path("DeleteAfterDays");
            rules.add(new PlanRule(rule.path("RuleName").asText(""),
                    days.canConvertToLong() ? Optional.of(days.asLong()) : Optional.empty(), List.copyOf(copies)));
        }
        return new Plan(answer.path("BackupPlanId").asText(planId), answer.path("VersionId").asText(versionId.orElse("")),
                answer.path("BackupPlan").path("BackupPlanName").asText(""), List.copyOf(rules));
    }

    /** ListBackupPlanVersions: GET /backup/plans/{backupPlanId}/versions/, oldest first. */
    public List<PlanVersion> planVersions(String planId) {
        List<PlanVersion> versions = new ArrayList<>();
        pages("/backup/plans/{}/versions/", Map.of(), "BackupPlanVersionsList", planId, version -> {
            versions.add(new PlanVersion(version.path("VersionId").asText(""), instant(version.path("CreationDate"))));
            return true;
        });
        versions.sort(Comparator.comparing(PlanVersion::created));
        return List.copyOf(versions);
    }

    /** ListBackupSelections then GetBackupSelection of each: every selection of the plan. */
    public List<Selection> selections(String planId) {
        List<String> ids = new ArrayList<>();
        pages("/backup/plans/{}/selections/", Map.of(), "BackupSelectionsList", planId, listed -> {
            ids.add(listed.path("SelectionId").asText(""));
            return true;
        });
        List<Selection> selections = new ArrayList<>(ids.size());
        for (String id : ids) {
            selections.add(selection(planId, id));
        }
        return List.copyOf(selections);
    }

    /** GetBackupSelection: GET /backup/plans/{backupPlanId}/selections/{selectionId}. */
    public Selection selection(String planId, String selectionId) {
        JsonNode selection = http.get("/backup/plans/{}/selections/{}", Map.of(), planId, selectionId).path("BackupSelection");
        boolean byConditions = false;
        for (JsonNode operator : selection.path("Conditions")) {
            byConditions |= !operator.isEmpty();
        }
        return new Selection(selectionId, selection.path("SelectionName").asText(""), texts(selection.path("Resources")),
                texts(selection.path("NotResources")), byConditions || !selection.path("ListOfTags").isEmpty());
    }

    /** Walks a list's pages, handing each item to {@code more} until it answers false or the pages end. */
    private void pages(String path, Map<String, String> query, String items, String segment, Function<JsonNode, Boolean> more) {
        String token = "";
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, String> params = new LinkedHashMap<>(query);
            if (!token.isEmpty()) {
                params.put("nextToken", token);
            }
            JsonNode answer = http.get(path, params, segment);
            for (JsonNode item : answer.path(items)) {
                if (!more.apply(item)) {
                    return;
                }
            }
            token = answer.path("NextToken").asText("");
            if (token.isEmpty()) {
                return;
            }
        }
        throw new BackupApiException(BackupApiException.Kind.OTHER, "more than " + MAX_PAGES + " pages of " + items);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText("")));
        return List.copyOf(texts);
    }

    /** A REST-JSON timestamp: seconds since the epoch, with a fraction. */
    private static Instant instant(JsonNode seconds) {
        if (!seconds.isNumber()) {
            return Instant.EPOCH;
        }
        BigDecimal value = seconds.decimalValue();
        return Instant.ofEpochSecond(value.longValue(), value.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
}
