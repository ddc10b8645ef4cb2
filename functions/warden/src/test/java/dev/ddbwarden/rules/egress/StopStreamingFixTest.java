package dev.ddbwarden.rules.egress;

import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DisableKinesisStreamingDestinationRequest;
import software.amazon.awssdk.services.dynamodb.model.DisableKinesisStreamingDestinationResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.ddbwarden.TestEvents.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** moto does not model Kinesis streaming destinations: DynamoDB is mocked, and the exact request asserted. */
class StopStreamingFixTest {
    private static final String STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/exfil";
    private final DynamoDbClient dynamo = mock(DynamoDbClient.class);
    private final StopStreamingFix fix = new StopStreamingFix(RegionalDynamo.single(dynamo));

    private static TableState streaming(String status) {
        return new TableState(table("orders"), "ACTIVE", Map.of()).withAugment(KinesisDestinations.class,
                new KinesisDestinations(List.of(new KinesisDestinations.Destination(STREAM, status))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void apply_shouldDisableTheDestination_andKeepTheStream() {
        when(dynamo.disableKinesisStreamingDestination(any(Consumer.class)))
                .thenReturn(DisableKinesisStreamingDestinationResponse.builder().destinationStatus("DISABLING").build());

        Outcome outcome = fix.apply(new EgressRemedy.StopStreaming(List.of(STREAM)), streaming("ACTIVE"));

        var captor = org.mockito.ArgumentCaptor.forClass(Consumer.class);
        verify(dynamo).disableKinesisStreamingDestination(captor.capture());
        DisableKinesisStreamingDestinationRequest.Builder sent = DisableKinesisStreamingDestinationRequest.builder();
        captor.getValue().accept(sent);
        assertThat(sent.build().tableName()).isEqualTo(table("orders").arn());
        assertThat(sent.build().streamArn()).isEqualTo(STREAM);
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.after().orElseThrow().augment(KinesisDestinations.class).orElseThrow().flowing()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void apply_shouldDoNothing_whenTheDestinationNoLongerFlows() {
        Outcome outcome = fix.apply(new EgressRemedy.StopStreaming(List.of(STREAM)), streaming("DISABLED"));

        assertThat(outcome.action()).isEqualTo(Outcome.Action.ALREADY_COMPLIANT);
        verify(dynamo, never()).disableKinesisStreamingDestination(any(Consumer.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void apply_shouldAskForARetry_whileDynamoDbIsStillEnablingTheDestination() {
        when(dynamo.disableKinesisStreamingDestination(any(Consumer.class)))
                .thenThrow(ResourceInUseException.builder().message("enabling").build());

        assertThatThrownBy(() -> fix.apply(new EgressRemedy.StopStreaming(List.of(STREAM)), streaming("ENABLING")))
                .isInstanceOf(ResourceBusy.class);
    }
}
