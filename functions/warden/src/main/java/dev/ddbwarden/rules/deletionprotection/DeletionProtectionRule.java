package dev.ddbwarden.rules.deletionprotection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.NewReplicas;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.Replicas;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every table keeps deletion protection on, unless an approved principal is decommissioning it.
 * DeleteTable itself cannot be undone: it is reported, CRITICAL unless an approved principal made it.
 */
public final class DeletionProtectionRule implements Rule {
    public static final String RULE = "deletion-protection";

    private static final String DELETE_TABLE = "DeleteTable";
    private static final String UPDATE_TABLE = "UpdateTable";
    /**
     * Each new replica is a table of its own region whose protection starts off. TagResource: a ddb-warden
     * tag written by anyone is judged on the event that names who wrote it.
     */
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on("CreateTable"), Trigger.on("RestoreTableFromBackup"),
            Trigger.on("RestoreTableToPointInTime"), Trigger.on("ImportTable"), Trigger.on(DELETE_TABLE),
            Trigger.on(UPDATE_TABLE, "deletionProtectionEnabled"), Trigger.on(UPDATE_TABLE, "replicaUpdates.create.regionName"),
            Trigger.on("TagResource", "tags.key"), Trigger.from(Trigger.BACKUP, ApiCall.BACKUP_RESTORE));
    private static final String SCP_ADVICE = "If the deletion was not intended, restore the table from a backup or "
            + "point-in-time recovery. To stop it happening again, deny dynamodb:DeleteTable with a service "
            + "control policy to everyone but the security roles (see README).";

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "DeletionProtectionFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:UpdateTable", "dynamodb:TagResource");
    }

    /** Replicas: a replica in a forbidden region is the region guard's to remove, and is left unprotected. */
    @Override
    public List<Augment<?>> augments() {
        return List.of(DeletionProtection.AUGMENT, Replicas.AUGMENT);
    }

    @Override
    public Class<DeletionProtectionRemedy> remedies() {
        return DeletionProtectionRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new EnableDeletionProtectionFix(context.dynamo()),
                new MarkDecommissionFix(context.dynamo(), context.holds(), context.clock()));
    }

    /** An approved principal's decommission leaves protection off. */
    @Override
    public boolean decidesOnActor() {
        return true;
    }

    /** The table the call names and, for an UpdateTable that adds replicas, each new replica in its own region. */
    @Override
    public List<TableRef> subjects(ApiCall call) {
        Optional<TableRef> named = TableLocator.locate(call);
        if (named.isEmpty()) {
            return List.of();
        }
        List<TableRef> subjects = new ArrayList<>(List.of(named.get()));
        subjects.addAll(NewReplicas.tables(call, named.get()));
        return subjects;
    }

    /** A new replica in an allowed region appears in its region a while after the call: worth waiting for. */
    @Override
    public boolean awaitsTable(ApiCall call, TableRef table, Settings settings) {
        return NewReplicas.isAllowedNewReplica(call, table, settings);
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        boolean approved = settings.approvedPrincipals().contains(call.actor().principalArn());
        if (DELETE_TABLE.equals(call.eventName())) {
            return List.of(deletion(call, table, approved));
        }
        // The region guard removes such a replica; protection could stand in the way, so it is not turned on first.
        if (NewReplicas.isForbiddenReplica(call, table, state, settings)) {
            return List.of();
        }
        if (state.isEmpty() || DeletionProtection.isOn(state.get())) {
            return List.of();
        }
        if (approved && turnsProtectionOff(call)) {
            Instant until = now.plus(settings.decommissionWindow());
            return List.of(new Finding(RULE, Severity.LOW, table, "approved decommission",
                    "Deletion protection was turned off on " + table.name() + " by " + call.actor().principalArn()
                            + ", an approved principal. ddb-warden leaves the table alone until " + until + ".",
                    new DeletionProtectionRemedy.MarkDecommission(until)));
        }
        return List.of(new Finding(RULE, Severity.MEDIUM, table, "deletion protection off",
                "Deletion protection is off on table " + table.name() + " after " + call.eventName()
                        + ": anyone allowed dynamodb:DeleteTable can destroy it and its data in one call.",
                new DeletionProtectionRemedy.EnableDeletionProtection()));
    }

    /** Only the call that switched protection off is a decommission; any other UpdateTable is not. */
    private static boolean turnsProtectionOff(ApiCall call) {
        JsonNode value = call.requestParameters().get("deletionProtectionEnabled");
        return UPDATE_TABLE.equals(call.eventName()) && value != null && value.isBoolean() && !value.asBoolean();
    }

    private static Finding deletion(ApiCall call, TableRef table, boolean approved) {
        if (approved) {
            return new Finding(RULE, Severity.LOW, table, "approved deletion",
                    "Table " + table.name() + " was deleted by " + call.actor().principalArn()
                            + ", an approved principal.",
                    new Remedy.AlertOnly("Nothing to do if this decommission was planned."));
        }
        return new Finding(RULE, Severity.CRITICAL, table, "table deleted",
                "Table " + table.name() + " was deleted by " + call.actor().describe()
                        + ", who is not an approved principal.",
                new Remedy.AlertOnly(SCP_ADVICE));
    }
}
