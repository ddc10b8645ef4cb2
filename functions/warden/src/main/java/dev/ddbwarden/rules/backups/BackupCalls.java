package dev.ddbwarden.rules.backups;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.event.TableRef;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the records of the backups rule's calls name, read from their request (the API's parameters, first letter
 * lowercased, as CloudTrail records them: events/README.md says how sure that is). What a vault or an advanced
 * recovery point holds is asked of AWS Backup where it still exists ({@link BackupsCoverage}).
 */
final class BackupCalls {
    static final String DELETE_BACKUP = "DeleteBackup";
    static final String DELETE_RECOVERY_POINT = "DeleteRecoveryPoint";
    static final String UPDATE_LIFECYCLE = "UpdateRecoveryPointLifecycle";
    static final String DELETE_VAULT = "DeleteBackupVault";
    static final String DELETE_VAULT_LOCK = "DeleteBackupVaultLockConfiguration";
    static final String DELETE_PLAN = "DeleteBackupPlan";
    static final String DELETE_SELECTION = "DeleteBackupSelection";
    static final String UPDATE_PLAN = "UpdateBackupPlan";
    /** The calls whose recovery point ARN may name a DynamoDB table (a backup made without advanced features). */
    static final List<String> RECOVERY_POINT_CALLS = List.of(DELETE_RECOVERY_POINT, UPDATE_LIFECYCLE);
    /** AWS Backup as CloudTrail names it when it acts itself (lifecycle deletions, a plan's jobs). */
    static final String AWS_BACKUP = "backup.amazonaws.com";
    /** AWS Backup's own pattern for vault names. */
    private static final Pattern VAULT = Pattern.compile("[a-zA-Z0-9_.-]{2,50}");
    /** Plan and selection IDs: AWS Backup's are UUID-like; anything else in a record is not AWS Backup's. */
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9-]{1,128}");
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:([a-z0-9-]+):[a-z0-9-]*:\\d{0,12}:\\S{1,1500}");

    private BackupCalls() {
    }

    /** The table a DynamoDB backup's ARN names: DeleteBackup's, or a recovery point made without advanced features. */
    static Optional<TableRef> backedUpTable(ApiCall call) {
        String arn = backupArn(call);
        return arn.contains(":dynamodb:") && arn.contains("/backup/")
                ? TableRef.parse(arn, call.region(), call.accountId()) : Optional.empty();
    }

    /** The ARN of the backup or recovery point the call deletes or changes, or empty. */
    static String backupArn(ApiCall call) {
        return DELETE_BACKUP.equals(call.eventName()) ? call.request("backupArn") : call.request("recoveryPointArn");
    }

    /**
     * The service an ARN belongs to ({@code backup}, {@code ec2}, {@code rds}, ...), or empty when the text is no ARN.
     * An AWS Backup recovery point of a service without its own backups ({@code arn:aws:backup:...:recovery-point:...})
     * names no resource type at all.
     */
    static Optional<String> service(String arn) {
        var matcher = ARN.matcher(arn);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Whether AWS Backup made the call itself: its lifecycle, not a principal's choice. */
    static boolean byAwsBackup(ApiCall call) {
        return AWS_BACKUP.equals(call.actor().invokedBy());
    }

    /** An UpdateRecoveryPointLifecycle that sets no deletion keeps the point for ever: nothing is lost. */
    static boolean keepsForEver(ApiCall call) {
        return UPDATE_LIFECYCLE.equals(call.eventName()) && deleteAfterDays(call).isEmpty();
    }

    /** The vault a vault call names, when the name is one AWS Backup accepts. */
    static Optional<ResourceRef> vault(ApiCall call) {
        String name = call.request("backupVaultName");
        if (!VAULT.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ResourceRef("AWS Backup vault", name, prefix(call) + "backup-vault:" + name, call.region(),
                call.accountId()));
    }

    /** The plan a plan call names; a selection is named with its plan, having no ARN of its own. */
    static Optional<ResourceRef> plan(ApiCall call) {
        String planId = call.request("backupPlanId");
        if (!ID.matcher(planId).matches()) {
            return Optional.empty();
        }
        String planArn = prefix(call) + "backup-plan:" + planId;
        if (!DELETE_SELECTION.equals(call.eventName())) {
            return Optional.of(new ResourceRef("AWS Backup plan", planId, planArn, call.region(), call.accountId()));
        }
        String selectionId = call.request("selectionId");
        if (!ID.matcher(selectionId).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ResourceRef("AWS Backup selection", selectionId + " of plan " + planId,
                planArn + "/selection/" + selectionId, call.region(), call.accountId()));
    }

    /** The recovery point a call names, when its ARN is one. */
    static Optional<ResourceRef> recoveryPoint(ApiCall call) {
        String arn = call.request("recoveryPointArn");
        if (service(arn).isEmpty()) {
            return Optional.empty();
        }
        String vault = call.request("backupVaultName");
        return Optional.of(new ResourceRef("AWS Backup recovery point", arn.substring(arn.lastIndexOf(':') + 1)
                + (vault.isEmpty() ? "" : " in vault " + vault), arn, call.region(), call.accountId()));
    }

    /**
     * {@code lifecycle.deleteAfterDays} as the request set it, whatever its form (a value ddb-warden cannot read still
     * sets a deletion), or empty when the request sets none and so keeps the point for ever.
     */
    static Optional<String> deleteAfterDays(ApiCall call) {
        var days = call.requestParameters().path("lifecycle").path("deleteAfterDays");
        return days.isMissingNode() || days.isNull() ? Optional.empty() : Optional.of(days.asText());
    }

    private static String prefix(ApiCall call) {
        return "arn:" + TableRef.partitionOf(call.region()) + ":backup:" + call.region() + ":" + call.accountId() + ":";
    }
}
