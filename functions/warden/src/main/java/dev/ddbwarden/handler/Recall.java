package dev.ddbwarden.handler;

import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.ledger.TableMemory;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.LastSeen;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ledger's memory of a table, read with the table like an augment, for a rule that remembers facts: every
 * read (and every read again, while the table settles or a fix decides anew) carries it, so a decision never
 * differs for lack of it. Its reads are the ledger's GetItem, granted to every rule function.
 */
final class Recall implements Augment<LastSeen> {
    private final TableMemory memory;
    private final Set<String> names;

    /** @param names the facts the rule remembers ({@code Rule.remembers()}) */
    Recall(TableMemory memory, Set<String> names) {
        this.memory = memory;
        this.names = Set.copyOf(names);
    }

    @Override
    public Class<LastSeen> type() {
        return LastSeen.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of();
    }

    @Override
    public Optional<LastSeen> read(DynamoDbClient dynamo, TableRef table) {
        Map<String, String> facts = memory.lastSeen(table.arn()).entrySet().stream()
                .filter(fact -> names.contains(fact.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return Optional.of(new LastSeen(facts));
    }
}
