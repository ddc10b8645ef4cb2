package dev.ddbwarden.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.TableRef;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A table as DynamoDB describes it now; checks decide on this, never on what an event claimed.
 *
 * @param streamArn    the latest stream's ARN, empty when the table has none
 * @param tablePolicy  the table's resource policy, empty when it has none or the rule does not read policies
 * @param streamPolicy the stream's resource policy, likewise
 * @param replicaRegions regions of the table's global-table replicas (version 2019.11.21), if any
 * @param augments     what the running rule's {@link Augment}s read, by their type
 */
public record TableState(
        TableRef ref,
        String status,
        boolean deletionProtection,
        Map<String, String> tags,
        String streamArn,
        Optional<ResourcePolicy> tablePolicy,
        Optional<ResourcePolicy> streamPolicy,
        List<String> replicaRegions,
        Map<Class<?>, Object> augments) {

    public TableState {
        tags = Map.copyOf(tags);
        replicaRegions = List.copyOf(replicaRegions);
        augments = Map.copyOf(augments);
    }

    /** A table as every rule reads it, without any rule's augments. */
    public TableState(TableRef ref, String status, boolean deletionProtection, Map<String, String> tags, String streamArn,
                      Optional<ResourcePolicy> tablePolicy, Optional<ResourcePolicy> streamPolicy, List<String> replicaRegions) {
        this(ref, status, deletionProtection, tags, streamArn, tablePolicy, streamPolicy, replicaRegions, Map.of());
    }

    /** A table with no replicas. */
    public TableState(TableRef ref, String status, boolean deletionProtection, Map<String, String> tags, String streamArn,
                      Optional<ResourcePolicy> tablePolicy, Optional<ResourcePolicy> streamPolicy) {
        this(ref, status, deletionProtection, tags, streamArn, tablePolicy, streamPolicy, List.of());
    }

    /** A table read without its resource policies (the rule does not need them). */
    public TableState(TableRef ref, String status, boolean deletionProtection, Map<String, String> tags, String streamArn) {
        this(ref, status, deletionProtection, tags, streamArn, Optional.empty(), Optional.empty(), List.of());
    }

    /** The policy of the table or of its stream, whichever {@code resourceArn} names. */
    public Optional<ResourcePolicy> policyOf(String resourceArn) {
        return !streamArn.isEmpty() && streamArn.equals(resourceArn) ? streamPolicy : tablePolicy;
    }

    /** What the augment of {@code type} read, empty when the running rule declares none or it read nothing. */
    public <T> Optional<T> augment(Class<T> type) {
        return Optional.ofNullable(augments.get(type)).map(type::cast);
    }

    /** This state with what an augment read (or a fix changed) in place of what it held. */
    public <T> TableState withAugment(Class<T> type, T value) {
        Map<Class<?>, Object> changed = new HashMap<>(augments);
        changed.put(type, value);
        return new TableState(ref, status, deletionProtection, tags, streamArn, tablePolicy, streamPolicy, replicaRegions, changed);
    }

    /** This state with one tag set, as TagResource leaves it. */
    public TableState withTag(String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(tags);
        changed.put(key, value);
        return new TableState(ref, status, deletionProtection, changed, streamArn, tablePolicy, streamPolicy, replicaRegions,
                augments);
    }

    /**
     * This state with the policy of {@code resourceArn} (the table's, or its stream's) as a write left it:
     * {@code policy}, or none after a delete.
     */
    public TableState withPolicy(String resourceArn, Optional<ResourcePolicy> policy) {
        boolean stream = !streamArn.isEmpty() && streamArn.equals(resourceArn);
        return new TableState(ref, status, deletionProtection, tags, streamArn, stream ? tablePolicy : policy,
                stream ? policy : streamPolicy, replicaRegions, augments);
    }

    /**
     * This state with what a fresh description of the table says (UpdateTable answers with one); tags and
     * policies are not part of a description and stay as they were, but a stream's policy only while the
     * stream is the same one.
     */
    public TableState withDescription(String status, boolean deletionProtection, String streamArn, List<String> replicaRegions) {
        return new TableState(ref, status, deletionProtection, tags, streamArn, tablePolicy,
                streamArn.equals(this.streamArn) ? streamPolicy : Optional.empty(), replicaRegions, augments);
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
        summary.put("deletionProtectionEnabled", deletionProtection);
        ObjectNode tagTree = summary.putObject("tags");
        // Sorted: Map.copyOf's order changes from one JVM to the next, and the ledger should not.
        new TreeMap<>(tags).forEach(tagTree::put);
        if (!replicaRegions.isEmpty()) {
            replicaRegions.forEach(summary.putArray("replicaRegions")::add);
        }
        tablePolicy.ifPresent(p -> policySummary(summary.putObject("resourcePolicy"), p));
        streamPolicy.ifPresent(p -> policySummary(summary.putObject("streamPolicy"), p));
        new TreeMap<String, Object>(augments.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> e.getKey().getSimpleName(), Map.Entry::getValue))).forEach((name, value) -> summary.put(name, value.toString()));
        return summary;
    }

    private static void policySummary(ObjectNode summary, ResourcePolicy policy) {
        summary.put("resourceArn", policy.resourceArn());
        summary.put("revisionId", policy.revisionId());
        summary.put("policy", policy.document());
    }
}
