package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * An UpdateTable adding replicas, through the deletion-protection pipeline, over mocked DynamoDB and SQS
 * clients: moto_server cannot model global-table replicas. The replica in an allowed region is awaited through
 * the re-check queue until it exists and is ACTIVE, then protected in its own region; the one in a forbidden
 * region is never touched (the region guard removes it, and protection could stand in the way).
 */
class ReplicaProtectionPipelineTest extends PipelineHarness {
    private static final String SOURCE = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private static final String DUBLIN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";
    private static final String SYDNEY = "arn:aws:dynamodb:ap-southeast-2:123456789012:table/orders";
    private static final Settings ALLOWED = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1,eu-west-1",
            EnvVar.RECHECK_QUEUE_URL, QUEUE, EnvVar.RECHECK_DELAY_SECONDS, "600", EnvVar.MAX_RECHECKS, "3")::get);

    private static ObjectNode addReplicas() {
        ObjectNode event = TestEvents.event("UpdateTable", "orders");
        ((ObjectNode) event.get("detail").get("requestParameters")).set("replicaUpdates", TestEvents.tree(
                "[{\"create\": {\"regionName\": \"eu-west-1\"}}, {\"create\": {\"regionName\": \"ap-southeast-2\"}}]"));
        return event;
    }

    private static DescribeTableResponse described(String arn, String status, boolean protection, String... peers) {
        return DescribeTableResponse.builder().table(t -> t.tableName("orders").tableArn(arn).tableStatus(status)
                .deletionProtectionEnabled(protection)
                .replicas(java.util.Arrays.stream(peers).map(r -> software.amazon.awssdk.services.dynamodb.model
                        .ReplicaDescription.builder().regionName(r).build()).toList())).build();
    }

    private void given(String arn, DescribeTableResponse first, DescribeTableResponse... then) {
        when(dynamo.describeTable(argThat((DescribeTableRequest r) -> r != null && arn.equals(r.tableName()))))
                .thenReturn(first, then);
    }

    private List<Result> run(int attempt) {
        return process(ALLOWED, addReplicas(), attempt, TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
    }

    @Test
    void newReplica_shouldBeAwaitedThroughTheRecheckQueue_thenProtectedInItsRegion_andTheForbiddenOneLeftAlone() {
        // GIVEN the source protected, the Dublin replica not there yet, then CREATING, then ACTIVE and unprotected,
        // and the Sydney replica ACTIVE and unprotected
        given(SOURCE, described(SOURCE, "ACTIVE", true, "eu-west-1", "ap-southeast-2"));
        when(dynamo.describeTable(argThat((DescribeTableRequest r) -> r != null && DUBLIN.equals(r.tableName()))))
                .thenThrow(ResourceNotFoundException.builder().message("Requested resource not found").build())
                .thenReturn(described(DUBLIN, "CREATING", false, "us-east-1"))
                .thenReturn(described(DUBLIN, "ACTIVE", false, "us-east-1", "ap-southeast-2"));
        given(SYDNEY, described(SYDNEY, "ACTIVE", false, "us-east-1", "eu-west-1"));

        // WHEN the event arrives: Dublin does not exist yet
        List<Result> first = run(0);

        // THEN Dublin is deferred to the re-check queue, Sydney gets nothing, nothing is written
        assertThat(first).extracting(Result::table).containsExactly(SOURCE, SYDNEY, DUBLIN);
        assertThat(first.get(2).action()).isEqualTo("DEFERRED");
        verify(sqs).sendMessage(any(SendMessageRequest.class));
        assertThat(updateTableCalls()).isZero();

        // WHEN the first re-check comes: Dublin is CREATING, and the reader waits for it to settle
        List<Result> second = run(1);

        // THEN it is protected, in its own region, once ACTIVE; Sydney never is
        assertThat(second.get(2).action()).isEqualTo("FIXED");
        ArgumentCaptor<UpdateTableRequest> update = ArgumentCaptor.forClass(UpdateTableRequest.class);
        verify(dynamo, atLeastOnce()).updateTable(update.capture());
        assertThat(update.getAllValues()).singleElement().satisfies(request -> {
            assertThat(request.tableName()).isEqualTo(DUBLIN);
            assertThat(request.deletionProtectionEnabled()).isTrue();
        });
        verify(dynamo, never()).updateTable(argThat((UpdateTableRequest r) -> r != null && SYDNEY.equals(r.tableName())));
        assertThat(publisher.published()).anySatisfy(alert -> assertThat(alert.body()).contains("eu-west-1"));
    }

    @Test
    void newReplica_shouldBeLeftToTheSweep_whenItNeverAppears_withinTheRechecks() {
        given(SOURCE, described(SOURCE, "ACTIVE", true, "eu-west-1"));
        when(dynamo.describeTable(argThat((DescribeTableRequest r) -> r != null && DUBLIN.equals(r.tableName()))))
                .thenThrow(ResourceNotFoundException.builder().message("Requested resource not found").build());
        given(SYDNEY, described(SYDNEY, "ACTIVE", false, "us-east-1"));

        List<Result> last = run(3);

        assertThat(last.get(2).action()).isNotEqualTo("DEFERRED");
        verify(sqs, never()).sendMessage(any(SendMessageRequest.class));
        assertThat(updateTableCalls()).isZero();
    }
}
