package dev.ddbwarden.state;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class TableReaderTest {
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final String STREAM = ORDERS.arn() + "/stream/2024-05-01T12:00:00.000";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final List<Duration> waits = new ArrayList<>();
    private final TableReader reader = new TableReader(dynamo, wait -> {
        waits.add(wait);
        clock.advance(wait);
    });

    private static DescribeTableResponse described(String status, Boolean protection) {
        return DescribeTableResponse.builder().table(t -> t.tableName("orders").tableArn(ORDERS.arn())
                .tableStatus(status).deletionProtectionEnabled(protection)).build();
    }

    private void givenNoTags() {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
    }

    @Test
    void read_shouldMapStatusAndTags_andReadNothingMore_whenTableExists() {
        // GIVEN a table whose tags come in two pages
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ORDERS.arn()).tableStatus("ACTIVE")
                        .deletionProtectionEnabled(true).latestStreamArn(STREAM)).build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(
                ListTagsOfResourceResponse.builder().tags(Tag.builder().key("team").value("data").build())
                        .nextToken("page-2").build(),
                ListTagsOfResourceResponse.builder().tags(Tag.builder().key("env").value("prod").build()).build());

        // WHEN
        Optional<TableState> state = reader.read(ORDERS);

        // THEN
        assertThat(state).contains(new TableState(ORDERS, "ACTIVE", Map.of("team", "data", "env", "prod")));
        verify(dynamo, never()).getResourcePolicy(any(GetResourcePolicyRequest.class));
        ArgumentCaptor<DescribeTableRequest> describe = ArgumentCaptor.forClass(DescribeTableRequest.class);
        verify(dynamo).describeTable(describe.capture());
        assertThat(describe.getValue()).isEqualTo(DescribeTableRequest.builder().tableName(ORDERS.arn()).build());
        ArgumentCaptor<ListTagsOfResourceRequest> tags = ArgumentCaptor.forClass(ListTagsOfResourceRequest.class);
        verify(dynamo, times(2)).listTagsOfResource(tags.capture());
        assertThat(tags.getAllValues()).containsExactly(
                ListTagsOfResourceRequest.builder().resourceArn(ORDERS.arn()).build(),
                ListTagsOfResourceRequest.builder().resourceArn(ORDERS.arn()).nextToken("page-2").build());
    }

    @Test
    void read_shouldReadAStateWithoutAugments_whenDescriptionOmitsProtectionAndStream() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(described("ACTIVE", null));
        givenNoTags();

        assertThat(reader.read(ORDERS)).contains(new TableState(ORDERS, "ACTIVE", Map.of()));
    }

    @Test
    void read_shouldGiveEmpty_whenDescribeSaysResourceNotFound() {
        when(dynamo.describeTable(any(DescribeTableRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("Requested resource not found").build());

        assertThat(reader.read(ORDERS)).isEmpty();
        verify(dynamo, never()).listTagsOfResource(any(ListTagsOfResourceRequest.class));
    }

    @Test
    void read_shouldGiveEmpty_whenTableVanishesBeforeItsTagsAreRead() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(described("DELETING", true));
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("gone").build());

        assertThat(reader.read(ORDERS)).isEmpty();
    }

    @Test
    void readSettled_shouldReturnAtOnce_whenTableIsActive() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(described("ACTIVE", false));
        givenNoTags();

        Optional<TableState> state = reader.readSettled(ORDERS, reader.read(ORDERS), TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));

        assertThat(state).map(TableState::status).contains("ACTIVE");
        assertThat(waits).isEmpty();
        verify(dynamo, times(1)).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void readSettled_shouldReturnFirstSettledState_whenTableBecomesActive() {
        // GIVEN CREATING, then UPDATING, then ACTIVE
        when(dynamo.describeTable(any(DescribeTableRequest.class)))
                .thenReturn(described("CREATING", false), described("UPDATING", false), described("ACTIVE", false));
        givenNoTags();

        // WHEN
        Optional<TableState> state = reader.readSettled(ORDERS, reader.read(ORDERS), TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));

        // THEN
        assertThat(state).map(TableState::status).contains("ACTIVE");
        assertThat(waits).hasSize(2);
        verify(dynamo, times(3)).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void readSettled_shouldBackOffExponentiallyWithCap_whileTableStaysCreating() {
        // GIVEN a table that never settles and a budget of ten minutes
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(described("CREATING", false));
        givenNoTags();
        Duration budget = Duration.ofMinutes(10);

        // WHEN
        Optional<TableState> state = reader.readSettled(ORDERS, reader.read(ORDERS), TimeBudget.of(clock, budget, Duration.ZERO));

        // THEN each wait is its base (1 s doubling to at most 10 s) plus up to half again of jitter
        assertThat(state).map(TableState::status).contains("CREATING");
        assertThat(waits).hasSizeGreaterThan(10);
        for (int i = 0; i < waits.size(); i++) {
            Duration base = Duration.ofSeconds(Math.min(1L << Math.min(i, 10), 10));
            assertThat(waits.get(i)).as("wait %d", i).isBetween(base, base.plus(base.dividedBy(2)));
        }
        assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofSeconds(15)));
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isLessThanOrEqualTo(budget);
        verify(dynamo, times(waits.size() + 1)).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void readSettled_shouldStopAndReturnLastState_whenBudgetRunsOut() {
        // GIVEN 5 s: waits of 1-1.5 s and 2-3 s fit, the next of at least 4 s cannot
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(described("CREATING", false));
        givenNoTags();

        // WHEN
        Optional<TableState> state = reader.readSettled(ORDERS, reader.read(ORDERS), TimeBudget.of(clock, Duration.ofSeconds(5), Duration.ZERO));

        // THEN
        assertThat(state).map(TableState::status).contains("CREATING");
        assertThat(waits).hasSize(2);
        verify(dynamo, times(3)).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void readSettled_shouldNotWait_whenBudgetIsExhausted() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(described("CREATING", false));
        givenNoTags();

        Optional<TableState> state = reader.readSettled(ORDERS, reader.read(ORDERS),
                TimeBudget.of(clock, Duration.ofSeconds(5), Duration.ofSeconds(10)));

        assertThat(state).map(TableState::status).contains("CREATING");
        assertThat(waits).isEmpty();
    }

    @Test
    void readSettled_shouldGiveEmpty_whenTableDisappearsWhileWaiting() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(described("CREATING", false))
                .thenThrow(ResourceNotFoundException.builder().message("gone").build());
        givenNoTags();

        assertThat(reader.readSettled(ORDERS, reader.read(ORDERS), TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO))).isEmpty();
        assertThat(waits).hasSize(1);
    }
}
