package dev.ddbwarden.rules.deletionprotection;

import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Set;

/** UpdateTable(DeletionProtectionEnabled=true): idempotent, so a retry that repeats it does no harm. */
final class EnableDeletionProtectionFix implements Fix<DeletionProtectionRemedy.EnableDeletionProtection> {
    private final RegionalDynamo dynamo;

    EnableDeletionProtectionFix(RegionalDynamo dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<DeletionProtectionRemedy.EnableDeletionProtection> remedy() {
        return DeletionProtectionRemedy.EnableDeletionProtection.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:UpdateTable");
    }

    @Override
    public Outcome apply(DeletionProtectionRemedy.EnableDeletionProtection remedy, TableState state) {
        if (DeletionProtection.isOn(state)) {
            return new Outcome(Outcome.Action.ALREADY_COMPLIANT, "Deletion protection was already on.", state);
        }
        TableDescription updated;
        try {
            updated = dynamo.in(state.ref())
                    .updateTable(r -> r.tableName(state.ref().arn()).deletionProtectionEnabled(true)).tableDescription();
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could protect it.");
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done(), TableReader.described(state, updated));
    }
}
