package dev.ddbwarden.backup;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Asks AWS Backup, through {@link BackupApi}, what a recovery point, a vault or a plan holds of DynamoDB; every
 * failure becomes {@link Coverage.Unknown} with AWS Backup's reason, so that a rule fails closed on it.
 */
public final class BackupCoverage {
    /** Tables named in an alert about a vault: enough to act on, short enough for a message. */
    static final int TABLES_NAMED = 20;

    private final BiFunction<String, String, BackupApi> apis;

    /** @param apis the AWS Backup client of an account and region ({@link BackupApi#in}; tests hand in one on a stub) */
    public BackupCoverage(BiFunction<String, String, BackupApi> apis) {
        this.apis = apis;
    }

    /** DescribeRecoveryPoint: the table it was taken of, or what else. */
    public Coverage ofRecoveryPoint(String account, String region, String vault, String recoveryPointArn) {
        try {
            BackupApi.RecoveryPoint point = apis.apply(account, region).describeRecoveryPoint(vault, recoveryPointArn);
            if (point.ofDynamoDb()) {
                return new Coverage.Tables(List.of(point.resourceArn().isEmpty() ? "a DynamoDB table" : point.resourceArn()));
            }
            return new Coverage.NotDynamoDb("a recovery point of " + (point.resourceType().isEmpty() ? "an unnamed resource type"
                    : point.resourceType()) + " " + point.resourceArn());
        } catch (BackupApiException e) {
            return new Coverage.Unknown(e.reason());
        }
    }

    /** ListRecoveryPointsByBackupVault of type DynamoDB: the tables the vault's recovery points were taken of. */
    public Coverage ofVault(String account, String region, String vault) {
        try {
            List<String> tables = apis.apply(account, region).recoveryPointsOfType(vault, "DynamoDB", TABLES_NAMED).stream()
                    .map(BackupApi.RecoveryPoint::resourceArn).distinct().toList();
            return tables.isEmpty() ? new Coverage.NotDynamoDb("vault " + vault + " holds no DynamoDB recovery point")
                    : new Coverage.Tables(tables);
        } catch (BackupApiException e) {
            return new Coverage.Unknown(e.reason());
        }
    }

    /** ListBackupSelections and GetBackupSelection of each: what the plan covers of DynamoDB. */
    public Coverage ofPlan(String account, String region, String planId) {
        try {
            return Coverage.ofSelections(planId, apis.apply(account, region).selections(planId));
        } catch (BackupApiException e) {
            return new Coverage.Unknown(e.reason());
        }
    }
}
