package dev.ddbwarden.rules.deletionprotection;

import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Holds the decommission in the ledger, then tags the table, so that later runs and the sweep leave it
 * alone until the expiry: the tag counts only beside the ledger's decision (TagTrust).
 */
final class MarkDecommissionFix implements Fix<DeletionProtectionRemedy.MarkDecommission> {
    private final RegionalDynamo dynamo;
    private final Consumer<Hold> holds;
    private final Clock clock;

    MarkDecommissionFix(RegionalDynamo dynamo, Consumer<Hold> holds, Clock clock) {
        this.dynamo = dynamo;
        this.holds = holds;
        this.clock = clock;
    }

    @Override
    public Class<DeletionProtectionRemedy.MarkDecommission> remedy() {
        return DeletionProtectionRemedy.MarkDecommission.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:TagResource");
    }

    @Override
    public Outcome apply(DeletionProtectionRemedy.MarkDecommission remedy, TableState state) {
        String until = remedy.until().toString();
        holds.accept(new Hold(Hold.Kind.DECOMMISSION, state.ref().arn(), clock.instant(), Optional.of(remedy.until())));
        try {
            dynamo.in(state.ref()).tagResource(r -> r.resourceArn(state.ref().arn())
                    .tags(t -> t.key(Decommission.TAG_KEY).value(until)));
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was already deleted.");
        }
        return new Outcome(Outcome.Action.TAGGED, remedy.done(), state.withTag(Decommission.TAG_KEY, until));
    }
}
