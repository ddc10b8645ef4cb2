package dev.ddbwarden.fix;

import dev.ddbwarden.RuleFixes;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.regionguard.RegionGuardRemedy;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.Replicas;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Removing replicas in forbidden regions through the source table, with the source region's client.
 * moto_server cannot model global-table replicas, so these answers come from a mocked client.
 */
class RemoveReplicasFixTest {
    private static final TableRef ORDERS = TestEvents.table("orders");

    private final DynamoDbClient virginia = SdkMocks.client(DynamoDbClient.class);
    /** Only the source's region has a client: the replica's region is never called. */
    private final Fixes fixes = RuleFixes.of(new RegionGuardRule(), (RegionalDynamo) (account, region) -> "us-east-1".equals(region)
            ? virginia : fail("a client for " + region + " was asked for"));

    private static TableState source(String... replicaRegions) {
        return new TableState(ORDERS, "ACTIVE", Map.of())
                .withAugment(Replicas.class, new Replicas(List.of(replicaRegions)));
    }

    private static ReplicationGroupUpdate delete(String region) {
        return ReplicationGroupUpdate.builder().delete(d -> d.regionName(region)).build();
    }

    @Test
    void apply_shouldDeleteEachForbiddenReplicaStillPresent_whenUpdatingTheSource() {
        // GIVEN Sydney and São Paulo are to go; São Paulo is already gone, Dublin stays
        when(virginia.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());
        RegionGuardRemedy.RemoveReplicas remedy = new RegionGuardRemedy.RemoveReplicas(List.of("ap-southeast-2", "sa-east-1"));

        // WHEN
        Outcome outcome = fixes.apply(remedy, source("ap-southeast-2", "eu-west-1"));

        // THEN
        ArgumentCaptor<UpdateTableRequest> update = ArgumentCaptor.forClass(UpdateTableRequest.class);
        verify(virginia).updateTable(update.capture());
        assertThat(update.getValue()).isEqualTo(UpdateTableRequest.builder().tableName(ORDERS.arn())
                .replicaUpdates(delete("ap-southeast-2")).build());
        assertThat(outcome).isEqualTo(new Outcome(Outcome.Action.FIXED, remedy.done()));
        assertThat(outcome.description()).contains("The data lives on in the source table");
    }

    @Test
    void apply_shouldDeleteEveryForbiddenReplicaInOneCall_whenSeveralArePresent() {
        when(virginia.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());

        fixes.apply(new RegionGuardRemedy.RemoveReplicas(List.of("ap-southeast-2", "sa-east-1")),
                source("sa-east-1", "ap-southeast-2"));

        verify(virginia).updateTable(UpdateTableRequest.builder().tableName(ORDERS.arn())
                .replicaUpdates(delete("ap-southeast-2"), delete("sa-east-1")).build());
    }

    @Test
    void apply_shouldCallNothing_whenTheReplicasAreAlreadyGone() {
        // WHEN
        Outcome outcome = fixes.apply(new RegionGuardRemedy.RemoveReplicas(List.of("ap-southeast-2")), source("eu-west-1"));

        // THEN
        assertThat(outcome.action()).isEqualTo(Outcome.Action.ALREADY_COMPLIANT);
        verify(virginia, never()).updateTable(any(UpdateTableRequest.class));
    }

    @Test
    void apply_shouldThrowResourceBusy_whenTheTableIsBusyWithItsReplicas() {
        // GIVEN
        when(virginia.updateTable(any(UpdateTableRequest.class)))
                .thenThrow(ResourceInUseException.builder().message("replica is being created").build());

        // WHEN / THEN
        assertThatThrownBy(() -> fixes.apply(new RegionGuardRemedy.RemoveReplicas(List.of("ap-southeast-2")),
                source("ap-southeast-2")))
                .isInstanceOfSatisfying(ResourceBusy.class, e -> {
                    assertThat(e.retryAfter()).isPositive();
                    assertThat(e.remaining()).isEmpty();
                })
                .hasMessageContaining(ORDERS.arn());
    }

    @Test
    void apply_shouldReportTheTableGone_whenTheSourceWasDeleted() {
        when(virginia.updateTable(any(UpdateTableRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("Requested resource not found").build());

        Outcome outcome = fixes.apply(new RegionGuardRemedy.RemoveReplicas(List.of("ap-southeast-2")), source("ap-southeast-2"));

        assertThat(outcome.action()).isEqualTo(Outcome.Action.TABLE_GONE);
    }
}
