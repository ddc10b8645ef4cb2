package dev.ddbwarden.state;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * State some rules decide on beyond what {@link TableState} holds for every rule, as Cloud Custodian's
 * augment: declared by the rules that read it, read with the table only in the functions that run them, and
 * found by their checks with {@link TableState#augment(Class)}. One rule's augment lives in its package; one
 * that two rules read lives here, in the shared spine.
 *
 * @param <T> what the read gives, a record the rule's pure check reads (a {@link TablePart} when the ledger
 *            should quote it field by field, or a fix's UpdateTable answer updates it)
 */
public interface Augment<T> {

    Class<T> type();

    /** The IAM actions {@link #read} calls, every one AWS documents for them. */
    Set<String> actions();

    /**
     * Whether what this augment reads can change a decision under {@code settings}: one that cannot is not read at
     * all (a call saved per table and event, and per table in every sweep).
     */
    default boolean neededUnder(Settings settings) {
        return true;
    }

    /** Reads the state of a table; empty when the table no longer exists. */
    Optional<T> read(DynamoDbClient dynamo, TableRef table);

    /**
     * Reads the state of a table just described, as the reader does: {@code described} is DescribeTable's answer,
     * so what it holds costs no call. By default the read above, for an augment that needs nothing of it.
     */
    default Optional<T> read(DynamoDbClient dynamo, TableRef table, TableDescription described) {
        return read(dynamo, table);
    }

    /**
     * An augment of what the table's description holds: free beside the description the reader makes for every
     * rule; alone, it describes the table.
     */
    static <T> Augment<T> described(Class<T> type, Function<TableDescription, T> of) {
        return new Augment<>() {
            @Override
            public Class<T> type() {
                return type;
            }

            @Override
            public Set<String> actions() {
                return Set.of("dynamodb:DescribeTable");
            }

            @Override
            public Optional<T> read(DynamoDbClient dynamo, TableRef table) {
                try {
                    return read(dynamo, table, dynamo.describeTable(r -> r.tableName(table.arn())).table());
                } catch (ResourceNotFoundException e) {
                    return Optional.empty();
                }
            }

            @Override
            public Optional<T> read(DynamoDbClient dynamo, TableRef table, TableDescription described) {
                return Optional.of(of.apply(described));
            }
        };
    }
}
