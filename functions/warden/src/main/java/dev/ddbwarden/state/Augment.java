package dev.ddbwarden.state;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Optional;
import java.util.Set;

/**
 * State one rule decides on beyond what {@link TableState} holds for every rule, as Cloud Custodian's
 * augment: declared by the rule, read with the table only in the function that runs it, and found by the
 * rule's check with {@link TableState#augment(Class)}.
 *
 * @param <T> what the read gives, a record the rule's pure check reads
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

    /** Reads the state of a table just described; empty when the table no longer exists. */
    Optional<T> read(DynamoDbClient dynamo, TableRef table);
}
