package dev.ddbwarden.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Optional;

/**
 * What an {@link Augment} reads, when it has more to say than its name and {@code toString()}: the fields the
 * ledger quotes of it, and what a fresh description of the table (the one UpdateTable answers with) makes of
 * it. An augment's value that is not a part is quoted as {@code SimpleName: toString()} and kept as it was.
 */
public interface TablePart {

    /** Writes what the ledger and alerts quote of this part, as fields of the table's {@code summary}. */
    void summarise(ObjectNode summary);

    /**
     * This part as {@code described} shows it: itself when a description does not hold it, empty when the
     * description lacks what it needs (then only a read can tell).
     */
    default Optional<TablePart> describedBy(TableDescription described) {
        return Optional.of(this);
    }
}
