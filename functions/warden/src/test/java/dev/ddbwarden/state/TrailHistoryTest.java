package dev.ddbwarden.state;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

/**
 * LookupEvents by event ID, against a mocked CloudTrail client: moto_server has no LookupEvents (the local
 * module's LocalTrail serves it for the integration tests and the demo).
 */
class TrailHistoryTest {
    private final CloudTrailClient trail = SdkMocks.client(CloudTrailClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final List<String> asked = new ArrayList<>();
    private final TrailHistory history = new TrailHistory((account, region) -> {
        asked.add(region);
        return trail;
    }, clock::advance);

    private static CloudTrailException error(int status, String code) {
        return (CloudTrailException) CloudTrailException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void find_shouldAskTheEventsRegion_andReadTheRecord() {
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenReturn(LookupEventsResponse.builder()
                .events(Event.builder().eventId("e-1").cloudTrailEvent("{\"eventID\":\"e-1\"}").build()).build());

        TrailHistory.Lookup lookup = history.find("123456789012", "eu-west-1", "e-1", TimeBudget.of(clock, Duration.ofMinutes(1), Duration.ZERO));

        assertThat(asked).containsExactly("eu-west-1");
        assertThat(lookup).isInstanceOfSatisfying(TrailHistory.Lookup.Found.class,
                found -> assertThat(found.record().path("eventID").asText()).isEqualTo("e-1"));
    }

    @Test
    void find_shouldSayMissing_whenTheRecordIsNotJson() {
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenReturn(LookupEventsResponse.builder()
                .events(Event.builder().eventId("e-1").cloudTrailEvent("{not json").build()).build());

        assertThat(history.find("123456789012", "eu-west-1", "e-1", TimeBudget.of(clock, Duration.ofMinutes(1), Duration.ZERO)))
                .isInstanceOf(TrailHistory.Lookup.Missing.class);
    }

    @Test
    void find_shouldBackOffAndRetry_whenThrottled() {
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenThrow(error(400, "ThrottlingException"))
                .thenThrow(error(400, "ThrottlingException")).thenReturn(LookupEventsResponse.builder().build());
        Instant start = clock.instant();

        TrailHistory.Lookup lookup = history.find("123456789012", "us-east-1", "e-1", TimeBudget.of(clock, Duration.ofMinutes(1), Duration.ZERO));

        assertThat(lookup).isInstanceOf(TrailHistory.Lookup.Missing.class);
        assertThat(asked).hasSize(3);
        // two waits of at least 500 ms and 1 s: more than LookupEvents' 2 requests per second
        assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void find_shouldThrow_whenRefusedForAnotherReason() {
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenThrow(error(400, "AccessDeniedException"));

        assertThatThrownBy(() -> history.find("123456789012", "us-east-1", "e-1", TimeBudget.of(clock, Duration.ofMinutes(1), Duration.ZERO)))
                .isInstanceOf(CloudTrailException.class);
    }
}
