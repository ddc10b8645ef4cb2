package dev.ddbwarden.rules.privatenetwork;

import dev.ddbwarden.check.Hold;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.PolicyWriter;
import dev.ddbwarden.fix.StateMoved;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Records a trusted principal's tag as ddb-warden's own decision (read again first: a tag someone changed since the
 * check is decided again, not recorded under the trusted principal's name), then writes the statement with
 * {@link PolicyWriter}: conditional on the revision read, so a policy changed meanwhile is decided again, and
 * retried through DynamoDB's 15-second block between policy updates.
 */
final class ProtectFix implements Fix<PrivateNetworkRemedy.Protect> {
    private final RegionalDynamo dynamo;
    private final Consumer<Hold> holds;
    private final Clock clock;

    ProtectFix(RegionalDynamo dynamo, Consumer<Hold> holds, Clock clock) {
        this.dynamo = dynamo;
        this.holds = holds;
        this.clock = clock;
    }

    @Override
    public Class<PrivateNetworkRemedy.Protect> remedy() {
        return PrivateNetworkRemedy.Protect.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:ListTagsOfResource", "dynamodb:PutResourcePolicy");
    }

    @Override
    public Outcome apply(PrivateNetworkRemedy.Protect remedy, TableState state) {
        DynamoDbClient client = dynamo.in(state.ref());
        TableState after = state;
        try {
            if (remedy.recordTag().isPresent()) {
                String tag = TableReader.tags(client, state.ref().arn()).get(PrivateNetworkRule.TAG_KEY);
                if (!remedy.recordTag().get().equals(tag)) {
                    throw new StateMoved("the " + PrivateNetworkRule.TAG_KEY + " tag of " + state.ref().arn() + " changed", false, null);
                }
                Hold hold = new Hold(Hold.Kind.NETWORK, state.ref().arn(), clock.instant(), Optional.empty(), Optional.of(tag));
                holds.accept(hold);
                after = state.withAugment(Hold.Held.class, state.augment(Hold.Held.class).orElse(Hold.Held.NONE).with(hold));
            }
            if (remedy.cut().isEmpty()) {
                return new Outcome(Outcome.Action.TAGGED, remedy.done(), after);
            }
            boolean recorded = remedy.recordTag().isPresent();
            Optional<TableState> written = PolicyWriter.write(client, remedy.cut().get(), after, recorded,
                    () -> new PrivateNetworkRemedy.Protect(remedy.endpoints(), Optional.empty(), remedy.cut()));
            return new Outcome(Outcome.Action.FIXED, remedy.done(), written);
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could keep it private.");
        }
    }
}
