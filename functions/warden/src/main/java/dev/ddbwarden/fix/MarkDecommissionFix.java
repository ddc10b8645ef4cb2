package dev.ddbwarden.fix;

import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.Set;

/** Tags a table being decommissioned so that later runs and the sweep leave it alone until the expiry. */
final class MarkDecommissionFix implements Fix<Remedy.MarkDecommission> {
    private final RegionalDynamo dynamo;

    MarkDecommissionFix(RegionalDynamo dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<Remedy.MarkDecommission> remedy() {
        return Remedy.MarkDecommission.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:TagResource");
    }

    @Override
    public Outcome apply(Remedy.MarkDecommission remedy, TableState state) {
        String until = remedy.until().toString();
        try {
            dynamo.in(state.ref().region()).tagResource(r -> r.resourceArn(state.ref().arn())
                    .tags(t -> t.key(Decommission.TAG_KEY).value(until)));
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was already deleted.");
        }
        return new Outcome(Outcome.Action.TAGGED, remedy.done(), state.withTag(Decommission.TAG_KEY, until));
    }
}
