package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.rules.pointintimerecovery.PointInTimeRecoveryRule;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DescribeContinuousBackupsRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeContinuousBackupsResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.List;

import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A new table is judged on PITR only once ACTIVE, in notify mode too (its finding changes nothing, so the
 * pipeline's own wait for a settled table would not hold it): moto keeps no table in CREATING, so DynamoDB is mocked.
 */
class PointInTimeRecoveryPipelineTest extends PipelineHarness {

    @Test
    void process_shouldDeferARestoredTableToTheRecheckQueue_whileItIsCreating() {
        // GIVEN a table still CREATING after its restore, in every read, without PITR as a restored table starts
        givenReads(table("CREATING", true));
        when(dynamo.describeContinuousBackups(any(DescribeContinuousBackupsRequest.class))).thenReturn(
                DescribeContinuousBackupsResponse.builder().continuousBackupsDescription(d -> d
                        .continuousBackupsStatus("ENABLED")
                        .pointInTimeRecoveryDescription(p -> p.pointInTimeRecoveryStatus("DISABLED"))).build());
        ObjectNode restore = event("RestoreTableFromBackup", "orders");
        request(restore).put("targetTableName", "orders");

        // WHEN
        List<Result> results = process(new PointInTimeRecoveryRule(), WITH_QUEUE, restore, 0, nearlyExhausted());

        // THEN nothing decided yet: the event waits in the re-check queue
        assertThat(results).containsExactly(Result.skipped(PointInTimeRecoveryRule.RULE, ARN, "DEFERRED"));
        verify(sqs).sendMessage(any(SendMessageRequest.class));
        assertThat(publisher.published()).isEmpty();
    }
}
