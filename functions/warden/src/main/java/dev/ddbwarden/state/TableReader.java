package dev.ddbwarden.state;

import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Read-only calls that build a {@link TableState}: DescribeTable, the table's tags and what the running rule's
 * augments read. A table that carries ddb-warden's quarantine tag has its resource policy read for every rule:
 * the tag counts only beside the quarantine statement in the live policy (TagTrust).
 */
public final class TableReader {
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);
    /** ddb-warden's quarantine tag (QuarantineStatement.TAG_KEY). */
    private static final String QUARANTINE_TAG = "ddb-warden:quarantine";
    /**
     * What {@link #read} calls for every rule: DescribeTable, ListTagsOfResource and, because a quarantine tag counts
     * only beside ddb-warden's statement in the live policy, GetResourcePolicy.
     */
    public static final Set<String> ACTIONS = Set.of("dynamodb:DescribeTable", "dynamodb:ListTagsOfResource",
            "dynamodb:GetResourcePolicy");

    private final RegionalDynamo dynamo;
    private final Sleeper sleeper;
    private final List<Augment<?>> augments;

    /** The actions a rule's function needs on tables: what this reader calls, and {@code ruleActions}. */
    public static Set<String> actionsWith(String... ruleActions) {
        Set<String> all = new HashSet<>(ACTIONS);
        all.addAll(List.of(ruleActions));
        return Set.copyOf(all);
    }

    /** A reader of descriptions and tags only, with one client for every region. */
    public TableReader(DynamoDbClient dynamo, Sleeper sleeper) {
        this(RegionalDynamo.single(dynamo), sleeper, List.of());
    }

    /** @param augments what the running rule reads beyond the shared state, read with every table */
    public TableReader(RegionalDynamo dynamo, Sleeper sleeper, List<Augment<?>> augments) {
        this.dynamo = dynamo;
        this.sleeper = sleeper;
        this.augments = List.copyOf(augments);
    }

    /** The table now, or empty when it does not exist (any more). */
    public Optional<TableState> read(TableRef ref) {
        DynamoDbClient client = dynamo.in(ref);
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
        TableState state = new TableState(ref, table.tableStatusAsString(), tags);
        if (tags.containsKey(QUARANTINE_TAG) && augments.stream().noneMatch(a -> a.type() == ResourcePolicies.class)) {
            state = state.withAugment(ResourcePolicies.class, ResourcePolicies.tableOnly(client, table));
        }
        for (Augment<?> augment : augments) {
            Optional<TableState> augmented = augmented(state, augment, client, table);
            if (augmented.isEmpty()) {
                return Optional.empty();
            }
            state = augmented.get();
        }
        return Optional.of(state);
    }

    /** The state with what {@code augment} read; empty when it found the table gone. */
    private static <T> Optional<TableState> augmented(TableState state, Augment<T> augment, DynamoDbClient client,
                                                      TableDescription described) {
        return augment.read(client, state.ref(), described).map(value -> state.withAugment(augment.type(), value));
    }

    /**
     * The table as {@code described} (the description an UpdateTable answers with) shows it, without
     * reading it again: {@code before} with the description's status and what it says of each augment.
     * Empty when the answer carries no description, or one without what the state needs: then only a read can tell.
     */
    public static Optional<TableState> described(TableState before, TableDescription described) {
        return described == null ? Optional.empty() : before.withDescription(described);
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

    /** The table's tags, every page of them: what a fix that must see a tag unchanged reads again. */
    public static Map<String, String> tags(DynamoDbClient client, String tableArn) {
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
