package dev.ddbwarden.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A table as DynamoDB describes it now; checks decide on this, never on what an event claimed. It holds what
 * the shared spine reads for every rule, and what the running rule's {@link Augment}s read besides:
 * <ul>
 *   <li>{@code ref}: which table, for every read, fix, ledger key and alert;</li>
 *   <li>{@code status}: the pipeline waits for a CREATING or UPDATING table before a fix ({@link #settled()});</li>
 *   <li>{@code tags}: ddb-warden's quarantine and decommission tags, judged for every rule that honours
 *       exemptions (TagTrust), and the ledger's record of them.</li>
 * </ul>
 * Deletion protection, replicas, resource policies and the rest are augments, read only by the rules that
 * declare them.
 *
 * @param augments what the running rule's {@link Augment}s read (and the spine's policy read, for a table that
 *                 carries the quarantine tag), by their type
 */
public record TableState(TableRef ref, String status, Map<String, String> tags, Map<Class<?>, Object> augments) {

    public TableState {
        tags = Map.copyOf(tags);
        augments = Map.copyOf(augments);
    }

    /** A table as every rule reads it, without any rule's augments. */
    public TableState(TableRef ref, String status, Map<String, String> tags) {
        this(ref, status, tags, Map.of());
    }

    /** What the augment of {@code type} read, empty when the running rule declares none or it read nothing. */
    public <T> Optional<T> augment(Class<T> type) {
        return Optional.ofNullable(augments.get(type)).map(type::cast);
    }

    /** This state with what an augment read (or a fix changed) in place of what it held. */
    public <T> TableState withAugment(Class<T> type, T value) {
        Map<Class<?>, Object> changed = new HashMap<>(augments);
        changed.put(type, value);
        return new TableState(ref, status, tags, changed);
    }

    /** This state with one tag set, as TagResource leaves it. */
    public TableState withTag(String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(tags);
        changed.put(key, value);
        return new TableState(ref, status, changed, augments);
    }

    /**
     * This state as a fresh description of the table shows it (UpdateTable answers with one): its status, and
     * every {@link TablePart} as the description leaves it. Empty when the description lacks the status or what
     * a part needs: then only a read can tell.
     */
    public Optional<TableState> withDescription(TableDescription described) {
        if (described.tableStatus() == null) {
            return Optional.empty();
        }
        Map<Class<?>, Object> changed = new HashMap<>(augments);
        for (Map.Entry<Class<?>, Object> entry : augments.entrySet()) {
            if (entry.getValue() instanceof TablePart part) {
                Optional<TablePart> now = part.describedBy(described);
                if (now.isEmpty()) {
                    return Optional.empty();
                }
                changed.put(entry.getKey(), now.get());
            }
        }
        return Optional.of(new TableState(ref, described.tableStatusAsString(), tags, changed));
    }

    /** CREATING and UPDATING tables refuse changes; anything else can be acted on or left. */
    public boolean settled() {
        return !"CREATING".equals(status) && !"UPDATING".equals(status);
    }

    /** What the ledger and alerts quote as "before" and "after". */
    public ObjectNode summary() {
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("tableArn", ref.arn());
        summary.put("status", status);
        ObjectNode tagTree = summary.putObject("tags");
        // Sorted: Map.copyOf's order changes from one JVM to the next, and the ledger should not.
        new TreeMap<>(tags).forEach(tagTree::put);
        Map<String, Object> byName = new TreeMap<>();
        augments.forEach((type, value) -> byName.put(type.getSimpleName(), value));
        byName.forEach((name, value) -> {
            if (value instanceof TablePart part) {
                part.summarise(summary);
            } else {
                summary.put(name, value.toString());
            }
        });
        return summary;
    }
}
