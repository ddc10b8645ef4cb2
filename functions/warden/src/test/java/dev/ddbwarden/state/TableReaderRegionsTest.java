package dev.ddbwarden.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.tableIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * Reading a table with the client of its own region, and its replicas from DescribeTable. moto_server
 * cannot model global-table replicas nor stream policies, so these reads are answered by mocked clients.
 */
class TableReaderRegionsTest {
    private static final TableRef COPY = tableIn("ap-southeast-2", "customer-copy");
    private static final String STREAM = COPY.arn() + "/stream/2024-05-01T12:00:00.000";
    private static final TableRef ORDERS = TestEvents.table("orders");

    private final DynamoDbClient virginia = SdkMocks.client(DynamoDbClient.class);
    private final DynamoDbClient sydney = SdkMocks.client(DynamoDbClient.class);
    private final DynamoDbClient dublin = SdkMocks.client(DynamoDbClient.class);
    private final Map<String, DynamoDbClient> clients =
            Map.of("us-east-1", virginia, "ap-southeast-2", sydney, "eu-west-1", dublin);
    private final TableReader reader = new TableReader((RegionalDynamo) (account, region) -> clients.get(region), wait -> { },
            List.of(ResourcePolicies.AUGMENT, Replicas.AUGMENT));

    private static void givenTable(DynamoDbClient client, TableRef table, String stream, String... replicaRegions) {
        when(client.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName(table.name()).tableArn(table.arn()).tableStatus("ACTIVE").latestStreamArn(stream)
                        .replicas(List.of(replicaRegions).stream()
                                .map(r -> ReplicaDescription.builder().regionName(r).replicaStatus("ACTIVE").build())
                                .toList()))
                .build());
        when(client.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
        when(client.getResourcePolicy(any(GetResourcePolicyRequest.class)))
                .thenThrow(PolicyNotFoundException.builder().message("no policy").build());
    }

    @Test
    void read_shouldCallOnlyTheTablesRegionalClient_whenTheTableIsInSydney() {
        // GIVEN
        givenTable(sydney, COPY, STREAM);

        // WHEN
        Optional<TableState> state = reader.read(COPY);

        // THEN every read went to Sydney, naming the table by its ARN; the other regions were never called
        assertThat(state).hasValueSatisfying(s -> {
            assertThat(s.ref()).isEqualTo(COPY);
            assertThat(s.augment(ResourcePolicies.class)).map(ResourcePolicies::streamArn).contains(STREAM);
            assertThat(s.augment(Replicas.class)).contains(new Replicas(List.of()));
        });
        verify(sydney).describeTable(DescribeTableRequest.builder().tableName(COPY.arn()).build());
        ArgumentCaptor<GetResourcePolicyRequest> policy = ArgumentCaptor.forClass(GetResourcePolicyRequest.class);
        verify(sydney, times(2)).getResourcePolicy(policy.capture());
        assertThat(policy.getAllValues()).extracting(GetResourcePolicyRequest::resourceArn)
                .containsExactly(COPY.arn(), STREAM);
        verifyNoInteractions(virginia, dublin);
    }

    @Test
    void read_shouldListTheReplicaRegions_whenDescribeTableShowsReplicas() {
        // GIVEN
        givenTable(virginia, ORDERS, null, "ap-southeast-2", "eu-west-1");

        // WHEN
        Optional<TableState> state = reader.read(ORDERS);

        // THEN
        assertThat(state.flatMap(s -> s.augment(Replicas.class))).contains(new Replicas(List.of("ap-southeast-2", "eu-west-1")));
        assertThat(state.orElseThrow().summary().path("replicaRegions")).extracting(JsonNode::asText)
                .containsExactly("ap-southeast-2", "eu-west-1");
        verifyNoInteractions(sydney, dublin);
    }

    @Test
    void read_shouldListNoReplicaRegions_whenTheTableHasNoReplicas() {
        givenTable(virginia, ORDERS, null);

        assertThat(reader.read(ORDERS).flatMap(s -> s.augment(Replicas.class))).contains(new Replicas(List.of()));
        assertThat(reader.read(ORDERS).orElseThrow().summary().has("replicaRegions")).isFalse();
    }

    @Test
    void read_shouldReadTheStreamPolicyWithTheSameRegionalClient_whenTheStreamHasOne() {
        // GIVEN
        givenTable(sydney, COPY, STREAM);
        doReturn(GetResourcePolicyResponse.builder().policy("{\"Statement\": []}").revisionId("s-1").build())
                .when(sydney).getResourcePolicy(GetResourcePolicyRequest.builder().resourceArn(STREAM).build());

        // WHEN
        TableState state = reader.read(COPY).orElseThrow();

        // THEN
        assertThat(state.augment(ResourcePolicies.class)).map(ResourcePolicies::table).contains(Optional.empty());
        assertThat(state.augment(ResourcePolicies.class).orElseThrow().stream()).contains(new ResourcePolicy(STREAM, "{\"Statement\": []}", "s-1"));
        verifyNoInteractions(virginia, dublin);
    }
}
