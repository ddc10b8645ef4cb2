package dev.ddbwarden.state;

import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Read-only calls that build a {@link TableState}: DescribeTable, then the table's tags. */
public final class TableReader {
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

    private final DynamoDbClient dynamo;
    private final Sleeper sleeper;

    public TableReader(DynamoDbClient dynamo, Sleeper sleeper) {
        this.dynamo = dynamo;
        this.sleeper = sleeper;
    }

    /** The table now, or empty when it does not exist (any more). */
    public Optional<TableState> read(TableRef ref) {
        TableDescription table;
        try {
            table = dynamo.describeTable(r -> r.tableName(ref.arn())).table();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> tags;
        try {
            tags = tags(table.tableArn());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(new TableState(
                ref,
                table.tableStatusAsString(),
                Boolean.TRUE.equals(table.deletionProtectionEnabled()),
                tags,
                table.latestStreamArn() == null ? "" : table.latestStreamArn()));
    }

    /**
     * Reads until the table has settled, backing off exponentially with jitter, for as long as the
     * budget allows; returns the last state read, settled or not.
     */
    public Optional<TableState> readSettled(TableRef ref, TimeBudget budget) {
        Optional<TableState> state = read(ref);
        Duration wait = FIRST_WAIT;
        while (state.isPresent() && !state.get().settled()) {
            Duration jittered = wait.plusMillis(ThreadLocalRandom.current().nextLong(wait.toMillis() / 2 + 1));
            if (!budget.allows(jittered)) {
                return state;
            }
            try {
                sleeper.sleep(jittered);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return state;
            }
            state = read(ref);
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
        return state;
    }

    private Map<String, String> tags(String tableArn) {
        Map<String, String> tags = new HashMap<>();
        String next = null;
        do {
            String token = next;
            ListTagsOfResourceResponse page = dynamo.listTagsOfResource(r -> r.resourceArn(tableArn).nextToken(token));
            for (Tag tag : page.tags()) {
                tags.put(tag.key(), tag.value());
            }
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return tags;
    }
}
