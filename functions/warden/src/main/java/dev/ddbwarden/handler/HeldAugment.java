package dev.ddbwarden.handler;

import dev.ddbwarden.check.Hold;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.ledger.Holds;
import dev.ddbwarden.state.Augment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger's holds on a table of the kinds a rule reads ({@code Rule.holds()}), read with the table so that
 * the rule's pure check sees ddb-warden's own decisions beside the tags that claim them. Read from the ledger,
 * not the table's region: the client handed in is not used.
 */
final class HeldAugment implements Augment<Hold.Held> {
    private final Holds ledger;
    private final List<Hold.Kind> kinds;

    HeldAugment(Holds ledger, Set<Hold.Kind> kinds) {
        this.ledger = ledger;
        this.kinds = List.copyOf(kinds);
    }

    @Override
    public Class<Hold.Held> type() {
        return Hold.Held.class;
    }

    /** The ledger's, which every rule's role may read: none on the table. */
    @Override
    public Set<String> actions() {
        return Set.of();
    }

    @Override
    public Optional<Hold.Held> read(DynamoDbClient dynamo, TableRef table) {
        Map<Hold.Kind, Hold> held = new EnumMap<>(Hold.Kind.class);
        for (Hold.Kind kind : kinds) {
            ledger.holdOn(kind, table.arn()).ifPresent(hold -> held.put(kind, hold));
        }
        return Optional.of(new Hold.Held(held));
    }
}
