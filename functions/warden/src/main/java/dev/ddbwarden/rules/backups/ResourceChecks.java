package dev.ddbwarden.rules.backups;

import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.state.CallReads;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_PLAN;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_RECOVERY_POINT;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_SELECTION;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_VAULT;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_VAULT_LOCK;
import static dev.ddbwarden.rules.backups.BackupCalls.UPDATE_LIFECYCLE;
import static dev.ddbwarden.rules.backups.BackupCalls.UPDATE_PLAN;

/**
 * The backups rule's pure decisions on a call about an AWS Backup resource rather than a table: on the record, and on
 * what AWS Backup said the resource holds ({@link Coverage}, empty when it was not or could not be asked).
 */
final class ResourceChecks {
    /**
     * The services whose recovery point ARNs may hide a DynamoDB table: AWS Backup's own (advanced features), and a
     * DynamoDB ARN this rule could not read as a backup of a table. Any other (ec2, rds...) is not DynamoDB's.
     */
    private static final Set<String> RECORD_SILENT = Set.of("backup", "dynamodb");
    private static final String GONE = " The record does not say which resources were covered (AWS Backup names them"
            + " only in the %s, which can no longer be read once deleted), so ddb-warden alerts in case they include"
            + " DynamoDB tables.";

    private ResourceChecks() {
    }

    static Optional<ResourceFinding> evaluate(ApiCall call, CallReads reads) {
        Optional<Coverage> coverage = reads.get(Coverage.class);
        if (coverage.filter(Coverage.NotDynamoDb.class::isInstance).isPresent()) {
            return Optional.empty();
        }
        return switch (call.eventName()) {
            case UPDATE_PLAN -> BackupCalls.plan(call).flatMap(plan -> PlanChecks.retention(call, plan, reads.get(PlanChange.class)));
            case DELETE_RECOVERY_POINT -> silentPoint(call).map(point -> finding(point, "recovery point deleted",
                    "AWS Backup recovery point " + point.arn() + " was deleted by " + call.actor().describe()
                            + ": nothing can be restored from it any more. Its ARN is AWS Backup's own, as for a DynamoDB"
                            + " table backed up with advanced features, and names no resource." + GONE.formatted("recovery point"),
                    call));
            case UPDATE_LIFECYCLE -> silentPoint(call).map(point -> finding(point, "recovery point set to expire",
                    "AWS Backup recovery point " + point.arn() + held(coverage, "a backup of DynamoDB table") + " "
                            + expiry(call) + unknown(coverage, "which resource it was taken of"), call));
            case DELETE_VAULT -> BackupCalls.vault(call).map(vault -> finding(vault, "backup vault deleted",
                    "AWS Backup vault " + vault.name() + " was deleted by " + call.actor().describe() + ". AWS Backup deletes"
                            + " only an empty vault, so its recovery points were deleted before (each DeleteRecoveryPoint"
                            + " is alerted on its own); backup plans that still store to this vault fail every backup from"
                            + " now on, so nothing new can be restored from them." + GONE.formatted("vault"), call));
            case DELETE_VAULT_LOCK -> BackupCalls.vault(call).map(vault -> finding(vault, "vault lock removed",
                    "The lock of AWS Backup vault " + vault.name() + " was removed by " + call.actor().describe() + ": the"
                            + " vault's recovery points" + held(coverage, "of DynamoDB tables") + " can now be deleted, or"
                            + " their retention shortened, by anyone allowed to, before the retention the lock enforced."
                            + unknown(coverage, "which resources its recovery points were taken of"), call));
            case DELETE_PLAN, DELETE_SELECTION -> BackupCalls.plan(call).map(plan -> finding(plan,
                    DELETE_PLAN.equals(call.eventName()) ? "backup plan deleted" : "backup selection deleted",
                    plan.kind() + " " + plan.name() + " was deleted by " + call.actor().describe() + ": the resources it"
                            + " covered are no longer backed up by it, so no moment from now on can be restored from it."
                            + " Recovery points it made stay until their lifecycle deletes them."
                            + GONE.formatted(DELETE_PLAN.equals(call.eventName()) ? "plan's selections" : "selection"), call));
            default -> Optional.empty();
        };
    }

    /** A recovery point whose ARN may hide a DynamoDB table: AWS Backup's own, or a DynamoDB ARN read as no table. */
    private static Optional<ResourceRef> silentPoint(ApiCall call) {
        return BackupCalls.recoveryPoint(call)
                .filter(point -> BackupCalls.service(point.arn()).filter(RECORD_SILENT::contains).isPresent());
    }

    /** ", {what} T1, T2" when AWS Backup named the tables, else nothing. */
    private static String held(Optional<Coverage> coverage, String what) {
        return coverage.filter(Coverage.Tables.class::isInstance).map(Coverage.Tables.class::cast)
                .map(tables -> ", " + what + " " + tables.tables().stream().map(Excerpt::line).collect(Collectors.joining(", "))
                        + ",")
                .orElse("");
    }

    /** Why the rule alerts without knowing: AWS Backup's reason, or the record's silence. */
    private static String unknown(Optional<Coverage> coverage, String what) {
        if (coverage.filter(Coverage.Tables.class::isInstance).isPresent()) {
            return "";
        }
        String why = coverage.filter(Coverage.Unknown.class::isInstance).map(c -> ((Coverage.Unknown) c).why())
                .map(reason -> "ddb-warden asked AWS Backup " + what + " and got no answer: " + Excerpt.line(reason))
                .orElse("AWS Backup was not asked " + what);
        return " The record does not say which resources were covered, and " + why + "; so ddb-warden alerts in case they"
                + " include DynamoDB tables.";
    }

    static String expiry(ApiCall call) {
        String at = call.responseElements().path("calculatedLifecycle").path("deleteAt").asText("");
        return "was set by " + call.actor().describe() + " to be deleted " + BackupCalls.deleteAfterDays(call)
                .map(days -> Excerpt.line(days) + " day(s) after it was made").orElse("")
                + (at.isEmpty() ? "" : " (AWS Backup computed " + Excerpt.line(at) + ")")
                + ": after that it can no longer be restored from, whatever retention it had before.";
    }

    private static ResourceFinding finding(ResourceRef resource, String title, String detail, ApiCall call) {
        return new ResourceFinding(BackupsRule.RULE, Severity.HIGH, resource, title, detail + " Deletions cannot be undone."
                + BackupsRule.NEXT, "Ask " + call.actor().describe() + " why; if nobody meant it, treat the principal as"
                + " compromised. List what the account's vaults still hold: aws backup list-recovery-points-by-backup-vault"
                + " --region " + resource.region() + " --backup-vault-name VAULT --by-resource-type DynamoDB. Keep recovery"
                + " points out of reach with a vault lock in compliance mode.");
    }
}
