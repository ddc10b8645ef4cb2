package dev.ddbwarden.state;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

/**
 * A rule's augments are read with the table, only by a reader built with them, and land in the state the
 * check sees. Mocked clients: what matters is which reads happen, not DynamoDB's answers.
 */
class TableReaderAugmentTest {
    private static final TableRef ORDERS = TestEvents.table("orders");

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);

    /** What the augment under test reads: a made-up setting of the table. */
    record Retention(int days) {
    }

    /** An augment that answers {@code answer} and remembers the tables it was asked about. */
    private static final class RetentionAugment implements Augment<Retention> {
        private final Optional<Retention> answer;
        private final List<TableRef> asked = new ArrayList<>();

        RetentionAugment(Optional<Retention> answer) {
            this.answer = answer;
        }

        @Override
        public Class<Retention> type() {
            return Retention.class;
        }

        @Override
        public Set<String> actions() {
            return Set.of("dynamodb:DescribeContinuousBackups");
        }

        @Override
        public Optional<Retention> read(DynamoDbClient client, TableRef table) {
            asked.add(table);
            return answer;
        }
    }

    private void tableExists() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableArn(ORDERS.arn()).tableName("orders").tableStatus("ACTIVE").deletionProtectionEnabled(true))
                .build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
    }

    @Test
    void read_shouldCarryWhatTheRulesAugmentRead() {
        tableExists();
        RetentionAugment augment = new RetentionAugment(Optional.of(new Retention(35)));

        Optional<TableState> state = new TableReader(RegionalDynamo.single(dynamo), Sleeper.REAL, List.of(augment)).read(ORDERS);

        assertThat(augment.asked).containsExactly(ORDERS);
        assertThat(state).get().satisfies(s -> {
            assertThat(s.augment(Retention.class)).contains(new Retention(35));
            assertThat(s.summary().path("Retention").asText()).isEqualTo("Retention[days=35]");
            assertThat(s.withTag("team", "payments").augment(Retention.class)).contains(new Retention(35));
        });
    }

    @Test
    void read_shouldFindTheTableGone_whenTheAugmentDoes() {
        tableExists();

        Optional<TableState> state = new TableReader(RegionalDynamo.single(dynamo), Sleeper.REAL,
                List.of(new RetentionAugment(Optional.empty()))).read(ORDERS);

        assertThat(state).isEmpty();
    }

    @Test
    void read_shouldCarryNoAugment_forARuleThatDeclaresNone() {
        tableExists();

        Optional<TableState> state = new TableReader(dynamo, Sleeper.REAL).read(ORDERS);

        assertThat(state).get().satisfies(s -> assertThat(s.augment(Retention.class)).isEmpty());
    }
}
