package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.check.Hold;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.StateMoved;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Records a trusted principal's {@code ddb-warden:ttl} tag as ddb-warden's own decision (a TTL hold in the ledger),
 * which alone makes the tag count; the table is left as it is. The tag is read again just before: one changed
 * since the check (someone else re-tagged) is decided again rather than recorded under the trusted principal's name.
 */
final class RecordDeclarationFix implements Fix<TtlRemedy.RecordDeclaration> {
    private final RegionalDynamo dynamo;
    private final Consumer<Hold> holds;
    private final Clock clock;

    RecordDeclarationFix(RegionalDynamo dynamo, Consumer<Hold> holds, Clock clock) {
        this.dynamo = dynamo;
        this.holds = holds;
        this.clock = clock;
    }

    @Override
    public Class<TtlRemedy.RecordDeclaration> remedy() {
        return TtlRemedy.RecordDeclaration.class;
    }

    /** The ledger's write is every rule role's; on the table, only the tag read again. */
    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:ListTagsOfResource");
    }

    @Override
    public Outcome apply(TtlRemedy.RecordDeclaration remedy, TableState state) {
        Optional<String> tagged;
        try {
            tagged = tag(dynamo.in(state.ref()), state.ref().arn());
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could record the declaration.");
        }
        if (!tagged.equals(Optional.of(remedy.attribute()))) {
            throw new StateMoved("the " + TtlRule.TAG_KEY + " tag of " + state.ref().arn() + " changed", false, null);
        }
        Hold hold = new Hold(Hold.Kind.TTL, state.ref().arn(), clock.instant(), Optional.empty(), Optional.of(remedy.attribute()));
        holds.accept(hold);
        return new Outcome(Outcome.Action.TAGGED, remedy.done(),
                state.withAugment(Hold.Held.class, state.augment(Hold.Held.class).orElse(Hold.Held.NONE).with(hold)));
    }

    private static Optional<String> tag(DynamoDbClient client, String arn) {
        String next = null;
        do {
            String token = next;
            ListTagsOfResourceResponse page = client.listTagsOfResource(r -> r.resourceArn(arn).nextToken(token));
            for (Tag tag : page.tags()) {
                if (TtlRule.TAG_KEY.equals(tag.key())) {
                    return Optional.of(tag.value());
                }
            }
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return Optional.empty();
    }
}
