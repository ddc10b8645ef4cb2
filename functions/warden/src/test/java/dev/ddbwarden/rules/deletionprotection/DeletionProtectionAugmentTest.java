package dev.ddbwarden.rules.deletionprotection;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.Replicas;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * What this rule's function reads of a table: its protection and its replicas, both from the one DescribeTable
 * every rule makes, and no resource policy. Mocked client: what matters is which calls are made.
 */
class DeletionProtectionAugmentTest {
    private static final TableRef ORDERS = TestEvents.table("orders");

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final TableReader reader = new TableReader(RegionalDynamo.single(dynamo), Sleeper.REAL,
            new DeletionProtectionRule().augments());

    private void described(Boolean protection, String... replicas) {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ORDERS.arn()).tableStatus("ACTIVE")
                        .deletionProtectionEnabled(protection).latestStreamArn(ORDERS.arn() + "/stream/1")
                        .replicas(List.of(replicas).stream().map(r -> ReplicaDescription.builder().regionName(r).build())
                                .toList()))
                .build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
    }

    @Test
    void read_shouldGiveProtectionAndReplicasFromTheOneDescription_andNoPolicy() {
        described(true, "eu-west-1");

        TableState state = reader.read(ORDERS).orElseThrow();

        assertThat(state).isEqualTo(new TableState(ORDERS, "ACTIVE", Map.of())
                .withAugment(DeletionProtection.class, new DeletionProtection(true))
                .withAugment(Replicas.class, new Replicas(List.of("eu-west-1"))));
        assertThat(state.augment(ResourcePolicies.class)).isEmpty();
        verify(dynamo, times(1)).describeTable(any(DescribeTableRequest.class));
        verify(dynamo, never()).getResourcePolicy(any(GetResourcePolicyRequest.class));
        assertThat(state.summary().path("deletionProtectionEnabled").asBoolean()).isTrue();
        assertThat(state.summary().has("resourcePolicy")).isFalse();
    }

    @Test
    void read_shouldReadProtectionOff_whenTheDescriptionOmitsTheFlag() {
        described(null);

        assertThat(reader.read(ORDERS).flatMap(s -> s.augment(DeletionProtection.class)))
                .contains(new DeletionProtection(false));
    }

    @Test
    void readAlone_shouldDescribeTheTable_andFindItGone_whenItIsGone() {
        described(true);
        assertThat(DeletionProtection.AUGMENT.read(dynamo, ORDERS)).contains(new DeletionProtection(true));

        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenThrow(
                ResourceNotFoundException.builder().message("gone").build());
        assertThat(DeletionProtection.AUGMENT.read(dynamo, ORDERS)).isEqualTo(Optional.empty());
    }
}
