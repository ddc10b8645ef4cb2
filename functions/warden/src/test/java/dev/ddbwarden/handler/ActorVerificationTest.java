package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.ddbwarden.TestEvents.APPROVED_ROLE;
import static dev.ddbwarden.TestEvents.DEVELOPER_ROLE;
import static dev.ddbwarden.TestEvents.EVENT_ID;
import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.eventBy;
import static dev.ddbwarden.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * An approved principal's decommission is honoured only once CloudTrail's own record of the event ID names
 * the same call, actor and table (issue 14, item 3). CloudTrail is a mocked client: moto_server has no
 * LookupEvents, so no local test can ask a real one.
 */
class ActorVerificationTest extends PipelineHarness {
    private static final Settings APPROVED_WITH_QUEUE = Settings.from(Map.of(EnvVar.APPROVED_PRINCIPALS, APPROVED_ROLE,
            EnvVar.RECHECK_QUEUE_URL, QUEUE, EnvVar.MAX_RECHECKS, "3")::get);
    private static final LedgerKey FORGED_KEY = LedgerKey.of(EVENT_ID, ApprovalGate.FORGED, ARN);

    /** The approved principal's UpdateTable turning protection off on orders, as delivered. */
    private static ObjectNode decommission() {
        ObjectNode event = eventBy(APPROVED_ROLE, "UpdateTable", "orders");
        request(event).put("deletionProtectionEnabled", false);
        return event;
    }

    private TimeBudget budget() {
        return TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO);
    }

    @Test
    void decommission_shouldBeHonoured_whenCloudTrailConfirmsIt() {
        givenReads(table("ACTIVE", false));
        givenTrailRecord(decommission());

        List<Result> results = process(APPROVED_WITH_QUEUE, decommission(), 0, budget());

        assertThat(results).containsExactly(new Result(RULE, ARN, "LOW", "TAGGED", "sent"));
        assertThat(updateTableCalls()).isZero();
        ArgumentCaptor<LookupEventsRequest> lookup = ArgumentCaptor.forClass(LookupEventsRequest.class);
        verify(trail).lookupEvents(lookup.capture());
        assertThat(lookup.getValue().lookupAttributes()).singleElement().satisfies(a -> {
            assertThat(a.attributeKey()).isEqualTo(LookupAttributeKey.EVENT_ID);
            assertThat(a.attributeValue()).isEqualTo(EVENT_ID);
        });
    }

    @Test
    void decommission_shouldBeForged_whenCloudTrailRecordsAnotherCall() {
        ObjectNode recorded = decommission();
        detail(recorded).put("eventName", "DescribeTable");

        assertForged(recorded, "the call is DescribeTable, not UpdateTable");
    }

    @Test
    void decommission_shouldBeForged_whenCloudTrailRecordsAnotherActor() {
        ObjectNode recorded = decommission();
        recorded.set("detail", detail(eventBy(DEVELOPER_ROLE, "UpdateTable", "orders")));
        request(recorded).put("deletionProtectionEnabled", false);

        assertForged(recorded, "the actor is arn:aws:sts::123456789012:assumed-role/Developer/session-1");
    }

    @Test
    void decommission_shouldBeForged_whenCloudTrailRecordsAnotherTable() {
        ObjectNode recorded = decommission();
        request(recorded).put("tableName", "scratch");

        assertForged(recorded, "the table is arn:aws:dynamodb:us-east-1:123456789012:table/scratch");
    }

    /** A forged approval: one CRITICAL alert naming the difference, and the table is protected again. */
    private void assertForged(ObjectNode recorded, String difference) {
        givenReads(table("ACTIVE", false));
        givenTrailRecord(recorded);

        List<Result> results = process(APPROVED_WITH_QUEUE, decommission(), 0, budget());

        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        assertThat(updateTableCalls()).isOne();
        verify(dynamo, never()).tagResource(any(TagResourceRequest.class));
        assertThat(publisher.published()).extracting(Alert::subject).containsExactly(
                "[CRITICAL] ddb-warden deletion-protection: orders (us-east-1) - forged event",
                "[MEDIUM] ddb-warden deletion-protection: orders (us-east-1) - deletion protection off");
        assertThat(publisher.published().get(0).body()).contains(difference);
        assertThat(ledger.entry(FORGED_KEY).alertStatus()).hasToString("SENT");
    }

    /** A run that dies after the forged-event alert went out: Lambda's retry decides again, and stays quiet about it. */
    @Test
    void forgedEvent_shouldBeAlertedOnce_whenTheRunIsRetried() {
        givenReads(table("ACTIVE", false));
        ObjectNode recorded = decommission();
        detail(recorded).put("eventName", "DescribeTable");
        givenTrailRecord(recorded);
        when(dynamo.updateTable(any(UpdateTableRequest.class)))
                .thenThrow(DynamoDbException.builder().statusCode(500).message("internal error").build())
                .thenReturn(UpdateTableResponse.builder().build());

        assertThatThrownBy(() -> process(APPROVED_WITH_QUEUE, decommission(), 0, budget()))
                .isInstanceOf(DynamoDbException.class);
        List<Result> retried = process(APPROVED_WITH_QUEUE, decommission(), 0, budget());

        assertThat(retried).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        assertThat(publisher.published()).extracting(Alert::subject)
                .filteredOn(s -> s.contains("forged event")).hasSize(1);
        verify(trail, times(2)).lookupEvents(any(LookupEventsRequest.class));
    }

    @Test
    void decommission_shouldBeDeferred_whenCloudTrailHasNoRecordYet() throws Exception {
        givenReads(table("ACTIVE", false));

        List<Result> results = process(APPROVED_WITH_QUEUE, decommission(), 0, budget());

        assertThat(results).containsExactly(Result.skipped(RULE, ARN, "DEFERRED"));
        assertThat(updateTableCalls()).isZero();
        verify(dynamo, never()).tagResource(any(TagResourceRequest.class));
        assertThat(publisher.published()).isEmpty();
        ArgumentCaptor<SendMessageRequest> sent = ArgumentCaptor.forClass(SendMessageRequest.class);
        verify(sqs).sendMessage(sent.capture());
        assertThat(JSON.readTree(sent.getValue().messageBody()).get(Recheck.ATTEMPT).asInt()).isOne();
    }

    @Test
    void decommission_shouldBeUnapproved_whenCloudTrailHasNoRecordAtTheLastRecheck() {
        givenReads(table("ACTIVE", false));

        List<Result> results = process(APPROVED_WITH_QUEUE, decommission(), 3, budget());

        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        assertThat(updateTableCalls()).isOne();
        verify(dynamo, never()).tagResource(any(TagResourceRequest.class));
        verify(sqs, never()).sendMessage(any(SendMessageRequest.class));
    }

    @Test
    void decommission_shouldBeUnapproved_whenNothingCanRecheckIt() {
        givenReads(table("ACTIVE", false));

        List<Result> results = process(SETTINGS, decommission(), 0, budget());

        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
    }

    @Test
    void lookup_shouldBeRetried_whenCloudTrailThrottles() {
        givenReads(table("ACTIVE", false));
        CloudTrailException throttled = (CloudTrailException) CloudTrailException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build())
                .build();
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenThrow(throttled, throttled)
                .thenReturn(LookupEventsResponse.builder().events(Event.builder().eventId(EVENT_ID)
                        .cloudTrailEvent(detail(decommission()).toString()).build()).build());

        List<Result> results = process(APPROVED_WITH_QUEUE, decommission(), 0, budget());

        assertThat(results).containsExactly(new Result(RULE, ARN, "LOW", "TAGGED", "sent"));
        assertThat(calls).containsExactly("sleep", "sleep");
    }

    @Test
    void lookup_shouldDefer_whenCloudTrailThrottlesPastTheBudget() {
        givenReads(table("ACTIVE", false));
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenThrow(CloudTrailException.builder().statusCode(429)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build());

        List<Result> results = process(APPROVED_WITH_QUEUE, decommission(), 0, TimeBudget.of(clock, Duration.ofSeconds(3),
                Duration.ZERO));

        assertThat(results).containsExactly(Result.skipped(RULE, ARN, "DEFERRED"));
        verify(dynamo, never()).tagResource(any(TagResourceRequest.class));
    }

    @Test
    void decommission_shouldTrustTheEvent_whenVerificationIsOff() {
        givenReads(table("ACTIVE", false));
        Settings trusting = Settings.from(Map.of(EnvVar.APPROVED_PRINCIPALS, APPROVED_ROLE, EnvVar.VERIFY_ACTORS, "false")::get);

        List<Result> results = process(trusting, decommission(), 0, budget());

        assertThat(results).containsExactly(new Result(RULE, ARN, "LOW", "TAGGED", "sent"));
        verifyNoInteractions(trail);
    }

    @Test
    void lookup_shouldNotHappen_whenTheDecisionDoesNotTurnOnWhoActed() {
        givenReads(table("ACTIVE", false));

        List<Result> results = process(APPROVED_WITH_QUEUE, eventBy(APPROVED_ROLE, "CreateTable", "orders"), 0, budget());

        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        verifyNoInteractions(trail);
        verify(dynamo).updateTable(any(UpdateTableRequest.class));
    }
}
