package dev.ddbwarden.rules.backups;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_BACKUP;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_PLAN;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_RECOVERY_POINT;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_SELECTION;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_VAULT;
import static dev.ddbwarden.rules.backups.BackupCalls.DELETE_VAULT_LOCK;
import static dev.ddbwarden.rules.backups.BackupCalls.UPDATE_LIFECYCLE;

/**
 * A principal deleting what a DynamoDB table could be restored from: an on-demand backup (DynamoDB's
 * DeleteBackup), or in AWS Backup a recovery point, its retention, its vault, the vault's lock, a plan or a
 * plan's selection. Deletions cannot be undone, so the rule only alerts (HIGH), with the actor and what can no
 * longer be restored.
 *
 * <p>AWS Backup's own lifecycle deletions are routine: AWS Backup records them as its own service events
 * (BackupDeleted), which no pattern here matches, and a DynamoDB backup it deletes arrives as a DeleteBackup
 * made through AWS Backup ({@code invokedBy backup.amazonaws.com}), which is left alone; a principal's
 * DeleteRecoveryPoint behind it is alerted on its own. A call whose record cannot tell whether DynamoDB is
 * covered (a vault, a plan, a selection, a recovery point made with advanced features) is alerted on all the same,
 * saying so: it fails closed, unless the record names another service's resource.
 */
public final class BackupsRule implements Rule {
    public static final String RULE = "backups";
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on(DELETE_BACKUP),
            Trigger.from(Trigger.BACKUP, DELETE_RECOVERY_POINT), Trigger.from(Trigger.BACKUP, UPDATE_LIFECYCLE),
            Trigger.from(Trigger.BACKUP, DELETE_VAULT), Trigger.from(Trigger.BACKUP, DELETE_VAULT_LOCK),
            Trigger.from(Trigger.BACKUP, DELETE_PLAN), Trigger.from(Trigger.BACKUP, DELETE_SELECTION));
    /**
     * The services whose recovery point ARNs may hide a DynamoDB table: AWS Backup's own (advanced features), and a
     * DynamoDB ARN this rule could not read as a backup of a table. Any other (ec2, rds...) is not DynamoDB's.
     */
    private static final Set<String> RECORD_SILENT = Set.of("backup", "dynamodb");
    private static final String NEXT = " An attacker who deletes backups usually turns point-in-time recovery off next:"
            + " the point-in-time-recovery rule turns it back on, and says so.";
    private static final String UNSAID = " The record does not say which resources were covered (AWS Backup names"
            + " them only in the vault, plan or recovery point, and ddb-warden has no AWS Backup client to ask), so"
            + " ddb-warden alerts in case they include DynamoDB tables.";

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "BackupGuardFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    /** It alerts on what the record and the live table say at once, whoever acted: nothing to wait for. */
    @Override
    public boolean rechecks() {
        return false;
    }

    /**
     * Only the shared table read, for a DynamoDB backup's table: whether the table the backup kept still exists.
     */
    @Override
    public Set<String> tableActions() {
        return TableReader.ACTIONS;
    }

    @Override
    public Class<? extends Remedy> remedies() {
        return Remedy.AlertOnly.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.of();
    }

    /**
     * A DynamoDB backup's table (the ARN of a backup, or of a recovery point made without advanced features, names
     * it); the swept table; none for a vault, plan, selection or advanced recovery point, decided by
     * {@link #evaluateResource}.
     */
    @Override
    public List<TableRef> subjects(ApiCall call) {
        if (ApiCall.SWEEP.equals(call.eventName())) {
            return TableLocator.locate(call).map(List::of).orElse(List.of());
        }
        return BackupCalls.backedUpTable(call).map(List::of).orElse(List.of());
    }

    /** A deletion leaves nothing to see: the sweep cannot tell a deleted backup from one never made. */
    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        if (ApiCall.SWEEP.equals(call.eventName()) || routine(call) || keepsForEver(call)) {
            return List.of();
        }
        String backup = Excerpt.line(BackupCalls.backupArn(call));
        String gone = DELETE_BACKUP.equals(call.eventName()) ? "on-demand backup " : "AWS Backup recovery point ";
        String what = UPDATE_LIFECYCLE.equals(call.eventName())
                ? "The " + gone + backup + " of table " + table.name() + " " + expiry(call)
                : "The " + gone + backup + " of table " + table.name() + " was deleted by " + call.actor().describe()
                        + ": the table can no longer be restored to the moment it was taken.";
        String lost = state.isPresent() ? "" : " The table itself no longer exists: this backup may have been the last"
                + " copy of its data.";
        return List.of(new Finding(RULE, Severity.HIGH, table, UPDATE_LIFECYCLE.equals(call.eventName())
                ? "backup set to expire" : "backup deleted", what + lost + " Deletions cannot be undone." + NEXT,
                new Remedy.AlertOnly("Ask " + call.actor().describe() + " why; if nobody meant it, treat the principal"
                        + " as compromised. See what is left: aws dynamodb list-backups --region " + table.region()
                        + " --table-name " + table.name() + (state.isPresent() ? "; and take a fresh backup now:"
                        + " aws dynamodb create-backup --region " + table.region() + " --table-name " + table.name()
                        + " --backup-name " + table.name() + "-after-deletion" : "") + ".")));
    }

    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, Settings settings) {
        if (routine(call) || keepsForEver(call)) {
            return Optional.empty();
        }
        return switch (call.eventName()) {
            case DELETE_RECOVERY_POINT, UPDATE_LIFECYCLE -> BackupCalls.recoveryPoint(call)
                    .filter(point -> BackupCalls.service(point.arn()).filter(RECORD_SILENT::contains).isPresent())
                    .map(point -> finding(point, UPDATE_LIFECYCLE.equals(call.eventName()) ? "recovery point set to expire"
                            : "recovery point deleted", (UPDATE_LIFECYCLE.equals(call.eventName())
                            ? "AWS Backup recovery point " + point.arn() + " " + expiry(call)
                            : "AWS Backup recovery point " + point.arn() + " was deleted by " + call.actor().describe()
                                    + ": nothing can be restored from it any more.")
                            + " Its ARN is AWS Backup's own, as for a DynamoDB table backed up with advanced features,"
                            + " and names no resource." + UNSAID, call));
            case DELETE_VAULT -> BackupCalls.vault(call).map(vault -> finding(vault, "backup vault deleted",
                    "AWS Backup vault " + vault.name() + " was deleted by " + call.actor().describe() + ". AWS Backup deletes"
                            + " only an empty vault, so its recovery points were deleted before (each DeleteRecoveryPoint"
                            + " is alerted on its own); backup plans that still store to this vault fail every backup from"
                            + " now on, so nothing new can be restored from them." + UNSAID, call));
            case DELETE_VAULT_LOCK -> BackupCalls.vault(call).map(vault -> finding(vault, "vault lock removed",
                    "The lock of AWS Backup vault " + vault.name() + " was removed by " + call.actor().describe() + ": the"
                            + " vault's recovery points can now be deleted, or their retention shortened, by anyone allowed"
                            + " to, before the retention the lock enforced." + UNSAID, call));
            case DELETE_PLAN, DELETE_SELECTION -> BackupCalls.plan(call).map(plan -> finding(plan,
                    DELETE_PLAN.equals(call.eventName()) ? "backup plan deleted" : "backup selection deleted",
                    plan.kind() + " " + plan.name() + " was deleted by " + call.actor().describe() + ": the resources it"
                            + " covered are no longer backed up by it, so no moment from now on can be restored from it."
                            + " Recovery points it made stay until their lifecycle deletes them." + UNSAID, call));
            default -> Optional.empty();
        };
    }

    /** An UpdateRecoveryPointLifecycle that sets no deletion keeps the point for ever: nothing is lost. */
    private static boolean keepsForEver(ApiCall call) {
        return UPDATE_LIFECYCLE.equals(call.eventName()) && BackupCalls.deleteAfterDays(call).isEmpty();
    }

    /** AWS Backup acting on its own (its lifecycle): routine, no alert. */
    private static boolean routine(ApiCall call) {
        return BackupCalls.byAwsBackup(call);
    }

    private static String expiry(ApiCall call) {
        String at = call.responseElements().path("calculatedLifecycle").path("deleteAt").asText("");
        return "was set by " + call.actor().describe() + " to be deleted " + BackupCalls.deleteAfterDays(call)
                .map(days -> Excerpt.line(days) + " day(s) after it was made").orElse("")
                + (at.isEmpty() ? "" : " (AWS Backup computed " + Excerpt.line(at) + ")")
                + ": after that it can no longer be restored from, whatever retention it had before.";
    }

    private static ResourceFinding finding(ResourceRef resource, String title, String detail, ApiCall call) {
        return new ResourceFinding(RULE, Severity.HIGH, resource, title, detail + " Deletions cannot be undone."
                + NEXT, "Ask " + call.actor().describe() + " why; if nobody meant it, treat the principal as compromised."
                + " List what the account's vaults still hold: aws backup list-recovery-points-by-backup-vault --region "
                + resource.region() + " --backup-vault-name VAULT --by-resource-type DynamoDB. Keep recovery points out of"
                + " reach with a vault lock in compliance mode.");
    }
}
