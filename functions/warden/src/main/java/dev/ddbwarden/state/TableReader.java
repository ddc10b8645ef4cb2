package dev.ddbwarden.state;

import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Read-only calls that build a {@link TableState}: DescribeTable, the table's tags and, for rules
 * that need them, the resource policies of the table and its stream.
 */
public final class TableReader {
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);
    /**
     * ddb-warden's quarantine tag (QuarantineStatement.TAG_KEY): it counts only beside the quarantine statement
     * in the live policy, so a table that carries it has its policy read for every rule.
     */
    private static final String QUARANTINE_TAG = "ddb-warden:quarantine";

    private final RegionalDynamo dynamo;
    private final Sleeper sleeper;
    private final boolean withPolicies;
    private final List<Augment<?>> augments;

    /** A reader of descriptions and tags only, with one client for every region. */
    public TableReader(DynamoDbClient dynamo, Sleeper sleeper) {
        this(RegionalDynamo.single(dynamo), sleeper, false);
    }

    /** A reader with one client for every region. */
    public TableReader(DynamoDbClient dynamo, Sleeper sleeper, boolean withPolicies) {
        this(RegionalDynamo.single(dynamo), sleeper, withPolicies);
    }

    public TableReader(RegionalDynamo dynamo, Sleeper sleeper, boolean withPolicies) {
        this(dynamo, sleeper, withPolicies, List.of());
    }

    /** @param augments what the running rule reads beyond the shared state, read with every table */
    public TableReader(RegionalDynamo dynamo, Sleeper sleeper, boolean withPolicies, List<Augment<?>> augments) {
        this.dynamo = dynamo;
        this.sleeper = sleeper;
        this.withPolicies = withPolicies;
        this.augments = List.copyOf(augments);
    }

    /** The table now, or empty when it does not exist (any more). */
    public Optional<TableState> read(TableRef ref) {
        DynamoDbClient client = dynamo.in(ref.region());
        TableDescription table;
        try {
            table = client.describeTable(r -> r.tableName(ref.arn())).table();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> tags;
        try {
            tags = tags(client, table.tableArn());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        String streamArn = streamArn(table);
        TableState state = new TableState(
                ref,
                table.tableStatusAsString(),
                Boolean.TRUE.equals(table.deletionProtectionEnabled()),
                tags,
                streamArn,
                withPolicies || tags.containsKey(QUARANTINE_TAG) ? policy(client, table.tableArn()) : Optional.empty(),
                withPolicies && !streamArn.isEmpty() ? policy(client, streamArn) : Optional.empty(),
                replicaRegions(table));
        for (Augment<?> augment : augments) {
            Optional<TableState> augmented = augmented(state, augment, client);
            if (augmented.isEmpty()) {
                return Optional.empty();
            }
            state = augmented.get();
        }
        return Optional.of(state);
    }

    /** The state with what {@code augment} read; empty when it found the table gone. */
    private static <T> Optional<TableState> augmented(TableState state, Augment<T> augment, DynamoDbClient client) {
        return augment.read(client, state.ref()).map(value -> state.withAugment(augment.type(), value));
    }

    /**
     * The table as {@code described} (the description an UpdateTable answers with) shows it, without
     * reading it again: {@code before} with the description's status, protection, stream and replicas.
     * Empty when the answer carries no description, or one without the status or the protection flag:
     * then only a read can tell.
     */
    public static Optional<TableState> described(TableState before, TableDescription described) {
        if (described == null || described.tableStatus() == null || described.deletionProtectionEnabled() == null) {
            return Optional.empty();
        }
        return Optional.of(before.withDescription(described.tableStatusAsString(), described.deletionProtectionEnabled(),
                streamArn(described), replicaRegions(described)));
    }

    /**
     * Reads again until the table has settled (not CREATING or UPDATING), for as long as the budget
     * allows; returns the last state read, settled or not.
     *
     * @param last the state just read, so that the first new read comes after a wait
     */
    public Optional<TableState> readSettled(TableRef ref, Optional<TableState> last, TimeBudget budget) {
        return readUntil(ref, last, budget, TableState::settled, Integer.MAX_VALUE);
    }

    /**
     * Reads again, backing off, until {@code done} holds, the table is gone, {@code maxReads} reads
     * (counting the one that gave {@code last}) were made or the budget would run out; returns the last
     * state read.
     */
    public Optional<TableState> readUntil(TableRef ref, Optional<TableState> last, TimeBudget budget,
                                          Predicate<TableState> done, int maxReads) {
        Optional<TableState> state = last;
        Backoff backoff = new Backoff(FIRST_WAIT, LONGEST_WAIT);
        for (int reads = 1; state.isPresent() && !done.test(state.get()) && reads < maxReads; reads++) {
            Duration wait = backoff.next();
            if (!budget.allows(wait)) {
                return state;
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return state;
            }
            state = read(ref);
        }
        return state;
    }

    /** A resource's policy, or empty when it has none (or, for a stream, no longer exists). */
    private static Optional<ResourcePolicy> policy(DynamoDbClient client, String resourceArn) {
        try {
            GetResourcePolicyResponse response = client.getResourcePolicy(r -> r.resourceArn(resourceArn));
            return Optional.of(new ResourcePolicy(resourceArn, response.policy(), response.revisionId()));
        } catch (PolicyNotFoundException | ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private static String streamArn(TableDescription table) {
        return table.latestStreamArn() == null ? "" : table.latestStreamArn();
    }

    private static List<String> replicaRegions(TableDescription table) {
        List<String> regions = new ArrayList<>(table.replicas().size());
        for (ReplicaDescription replica : table.replicas()) {
            regions.add(replica.regionName());
        }
        return regions;
    }

    private static Map<String, String> tags(DynamoDbClient client, String tableArn) {
        Map<String, String> tags = new HashMap<>();
        String next = null;
        do {
            String token = next;
            ListTagsOfResourceResponse page = client.listTagsOfResource(r -> r.resourceArn(tableArn).nextToken(token));
            for (Tag tag : page.tags()) {
                tags.put(tag.key(), tag.value());
            }
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return tags;
    }
}
