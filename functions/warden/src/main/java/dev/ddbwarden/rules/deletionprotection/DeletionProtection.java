package dev.ddbwarden.rules.deletionprotection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.TablePart;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Optional;

/**
 * Whether the table's deletion protection is on, from its description at no call of its own: the one thing this
 * rule decides on that no other rule reads.
 */
record DeletionProtection(boolean enabled) implements TablePart {
    static final Augment<DeletionProtection> AUGMENT = Augment.described(DeletionProtection.class,
            table -> new DeletionProtection(Boolean.TRUE.equals(table.deletionProtectionEnabled())));

    /**
     * Whether {@code state} shows protection on. A state without this augment (a reader built without it) counts
     * as off: protection is then turned on again, never left off.
     */
    static boolean isOn(TableState state) {
        return state.augment(DeletionProtection.class).map(DeletionProtection::enabled).orElse(false);
    }

    @Override
    public void summarise(ObjectNode summary) {
        summary.put("deletionProtectionEnabled", enabled);
    }

    /** An answer without the flag cannot say whether protection is on: only a read can. */
    @Override
    public Optional<TablePart> describedBy(TableDescription described) {
        return Optional.ofNullable(described.deletionProtectionEnabled()).map(DeletionProtection::new);
    }
}
