package dev.ddbwarden.rules.backups;

import dev.ddbwarden.backup.BackupApi;
import dev.ddbwarden.backup.BackupCoverage;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.AlertOnlyRule;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.CallReads;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

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
 * plan's selection, or shortening a plan's retention (UpdateBackupPlan, {@link PlanChecks}). Deletions cannot be undone, so the rule only alerts (HIGH), with the actor and what can no
 * longer be restored.
 *
 * <p>AWS Backup's own lifecycle deletions are routine: AWS Backup records them as its own service events
 * (BackupDeleted), which no pattern here matches, and a DynamoDB backup it deletes arrives as a DeleteBackup
 * made through AWS Backup ({@code invokedBy backup.amazonaws.com}), which is left alone; a principal's
 * DeleteRecoveryPoint behind it is alerted on its own. What a recovery point made with advanced features or a
 * vault whose lock was removed holds is asked of AWS Backup ({@link BackupsCoverage}): DynamoDB tables are named in
 * the alert, another service's resources are not ddb-warden's business, and no answer fails closed (HIGH, saying
 * why). A deleted recovery point, vault, plan or selection cannot be read after the call: those fail closed on the
 * record, unless it names another service's resource.
 */
public final class BackupsRule implements AlertOnlyRule {
    public static final String RULE = "backups";
    /**
     * What AWS Backup is asked: what a recovery point or a vault holds ({@link BackupsCoverage}), and a changed plan's
     * selections and versions ({@link PlanRetention}).
     */
    private static final Set<String> BACKUP_READS = Set.of("backup:DescribeRecoveryPoint",
            "backup:ListRecoveryPointsByBackupVault", "backup:ListBackupSelections", "backup:GetBackupSelection",
            "backup:ListBackupPlanVersions", "backup:GetBackupPlan");
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on(DELETE_BACKUP),
            Trigger.from(Trigger.BACKUP, DELETE_RECOVERY_POINT), Trigger.from(Trigger.BACKUP, UPDATE_LIFECYCLE),
            Trigger.from(Trigger.BACKUP, DELETE_VAULT), Trigger.from(Trigger.BACKUP, DELETE_VAULT_LOCK),
            Trigger.from(Trigger.BACKUP, DELETE_PLAN), Trigger.from(Trigger.BACKUP, DELETE_SELECTION),
            Trigger.from(Trigger.BACKUP, BackupCalls.UPDATE_PLAN));
    static final String NEXT = " An attacker who deletes backups usually turns point-in-time recovery off next:"
            + " the point-in-time-recovery rule turns it back on, and says so.";

    private final BiFunction<String, String, BackupApi> apis;

    public BackupsRule() {
        this(BackupApi::in);
    }

    /** @param apis the AWS Backup client of an account and region (tests: a mock) */
    BackupsRule(BiFunction<String, String, BackupApi> apis) {
        this.apis = apis;
    }

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

    /** Read on the call's recovery point or vault, not on tables. */
    @Override
    public Set<String> otherActions() {
        return BACKUP_READS;
    }

    @Override
    public List<CallAugment<?>> callAugments() {
        return List.of(new BackupsCoverage(new BackupCoverage(apis)), new PlanRetention(apis));
    }

    /**
     * A DynamoDB backup's table (the ARN of a backup, or of a recovery point made without advanced features, names
     * it); the swept table; none for a vault, plan, selection or advanced recovery point, decided by
     * {@link #evaluateResource}.
     */
    @Override
    public List<TableRef> subjects(ApiCall call) {
        if (call.isSweep()) {
            return TableLocator.locate(call).map(List::of).orElse(List.of());
        }
        return BackupCalls.backedUpTable(call).map(List::of).orElse(List.of());
    }

    /** A deletion leaves nothing to see: the sweep cannot tell a deleted backup from one never made. */
    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        if (call.isSweep() || routine(call) || BackupCalls.keepsForEver(call)) {
            return List.of();
        }
        String backup = Excerpt.line(BackupCalls.backupArn(call));
        String gone = DELETE_BACKUP.equals(call.eventName()) ? "on-demand backup " : "AWS Backup recovery point ";
        String what = UPDATE_LIFECYCLE.equals(call.eventName())
                ? "The " + gone + backup + " of table " + table.name() + " " + ResourceChecks.expiry(call)
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

    /** The record alone: what AWS Backup would say is not known, so the rule fails closed. */
    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, Settings settings) {
        return evaluateResource(call, CallReads.none(), settings);
    }

    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, CallReads reads, Settings settings) {
        if (routine(call) || BackupCalls.keepsForEver(call)) {
            return Optional.empty();
        }
        return ResourceChecks.evaluate(call, reads);
    }

    /** AWS Backup acting on its own (its lifecycle): routine, no alert. */
    private static boolean routine(ApiCall call) {
        return BackupCalls.byAwsBackup(call);
    }
}
