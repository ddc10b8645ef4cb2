package dev.ddbwarden.watcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import dev.ddbwarden.handler.FakeContext;
import dev.ddbwarden.handler.Services;

import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.WatcherEvents.DEPLOYER_ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * WatcherHandler with mocked clients. The DynamoDB mock keeps the ledger's items in a map and honours
 * the conditions DynamoLedger writes with, so that the real ledger code decides what is a duplicate.
 */
class WatcherHandlerTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ddb-warden-AlertTopic-AbCdEf123456";
    /** StopLogging of the trail management-events (named by its ARN) by the developer role's session mallory. */
    private static final String STOP_LOGGING = TestEvents.sample("watch-stop-logging.json").toString();
    private static final String EVENT_ID = "a7c3e1d2-5b64-4f0e-9d1a-3e2f4c5b6a71";
    private static final String TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events";
    private static final String SUBJECT = "watcher#" + TRAIL_ARN;

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final SnsClient sns = SdkMocks.client(SnsClient.class);
    private final SqsClient sqs = SdkMocks.client(SqsClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-06-03T09:13:00Z"));
    private final Map<String, Map<String, AttributeValue>> ledger = new HashMap<>();
    private Runnable beforeNextPut = () -> { };

    @BeforeEach
    void stubClients() {
        when(dynamo.serviceClientConfiguration()).thenReturn(
                DynamoDbServiceClientConfiguration.builder().region(Region.US_EAST_1).build());
        when(dynamo.getItem(any(GetItemRequest.class))).thenAnswer(call -> {
            GetItemRequest request = call.getArgument(0);
            return GetItemResponse.builder().item(ledger.get(keyOf(request.key()))).build();
        });
        when(dynamo.putItem(any(PutItemRequest.class))).thenAnswer(call -> {
            beforeNextPut.run();
            beforeNextPut = () -> { };
            PutItemRequest request = call.getArgument(0);
            if (ledger.putIfAbsent(keyOf(request.item()), new HashMap<>(request.item())) != null) {
                throw ConditionalCheckFailedException.builder().message("The conditional request failed").build();
            }
            return PutItemResponse.builder().build();
        });
        when(dynamo.updateItem(any(UpdateItemRequest.class))).thenAnswer(call -> {
            UpdateItemRequest request = call.getArgument(0);
            Map<String, AttributeValue> item = ledger.get(keyOf(request.key()));
            Map<String, AttributeValue> values = request.expressionAttributeValues();
            if (values.containsKey(":sending")) {
                if (!"PENDING".equals(item.get("alertStatus").s())) {
                    throw ConditionalCheckFailedException.builder().message("The conditional request failed").build();
                }
                item.put("alertStatus", values.get(":sending"));
            } else if (values.containsKey(":sent")) {
                item.put("alertStatus", values.get(":sent"));
                item.put("messageId", values.get(":id"));
            }
            return UpdateItemResponse.builder().build();
        });
        when(sns.publish(any(PublishRequest.class))).thenReturn(PublishResponse.builder().messageId("m-1").build());
    }

    private static String keyOf(Map<String, AttributeValue> item) {
        return item.get("eventId").s() + "|" + item.get("subject").s();
    }

    private WatcherHandler handler(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of(EnvVar.ALERT_TOPIC_ARN, TOPIC, EnvVar.LEDGER_TABLE, "ddb-warden-Ledger-ABC123",
                EnvVar.STACK_NAME, "ddb-warden"));
        all.putAll(env);
        return new WatcherHandler(new Services(dynamo, sns, sqs, Settings.from(all::get), clock, clock::advance));
    }

    private static JsonNode invoke(WatcherHandler handler, String input) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, new FakeContext(60_000));
        return JSON.readTree(output.toByteArray());
    }

    @Test
    void handleRequest_shouldPublishCritical_andRecordItAsSent_whenSomeoneStopsLogging() throws IOException {
        // WHEN
        JsonNode output = invoke(handler(Map.of()), STOP_LOGGING);

        // THEN one alert to the topic, with the attributes subscribers filter on
        assertThat(output.path("eventId").asText()).isEqualTo(EVENT_ID);
        assertThat(output.at("/results/0/rule").asText()).isEqualTo("watcher");
        assertThat(output.at("/results/0/table").asText()).isEqualTo(TRAIL_ARN);
        assertThat(output.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        assertThat(output.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(output.at("/results/0/alert").asText()).isEqualTo("sent");
        ArgumentCaptor<PublishRequest> publish = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(publish.capture());
        assertThat(publish.getValue().topicArn()).isEqualTo(TOPIC);
        assertThat(publish.getValue().subject())
                .isEqualTo("[CRITICAL] ddb-warden watcher: trail management-events stopped logging (us-east-1)");
        assertThat(publish.getValue().messageAttributes()).containsEntry("rule",
                MessageAttributeValue.builder().dataType("String").stringValue("watcher").build());
        // AND the ledger keeps the decision, its alert marked sent
        Map<String, AttributeValue> entry = ledger.get(EVENT_ID + "|" + SUBJECT);
        assertThat(entry.get("rule").s()).isEqualTo("watcher");
        assertThat(entry.get("status").s()).isEqualTo("DONE");
        assertThat(entry.get("action").s()).isEqualTo("ALERTED");
        assertThat(entry.get("alertStatus").s()).isEqualTo("SENT");
        assertThat(entry.get("actor").s()).contains("assumed-role/developer/mallory");
        verifyNoInteractions(sqs);
    }

    @Test
    void handleRequest_shouldPublishOnce_whenTheSameEventArrivesTwice() throws IOException {
        // GIVEN EventBridge delivering at least once (and the twin events rules delivering the same event)
        WatcherHandler handler = handler(Map.of());

        // WHEN
        invoke(handler, STOP_LOGGING);
        JsonNode second = invoke(handler, STOP_LOGGING);

        // THEN
        assertThat(second.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        verify(sns, times(1)).publish(any(PublishRequest.class));
    }

    @Test
    void handleRequest_shouldLeaveItToTheOther_whenAConcurrentDeliveryOpenedTheEntryFirst() throws IOException {
        // GIVEN the other invocation writes its entry between this one's read and write
        WatcherHandler handler = handler(Map.of());
        beforeNextPut = () -> ledger.put(EVENT_ID + "|" + SUBJECT, new HashMap<>(Map.of(
                "eventId", AttributeValue.fromS(EVENT_ID), "subject", AttributeValue.fromS(SUBJECT),
                "alertStatus", AttributeValue.fromS("SENDING"))));

        // WHEN
        JsonNode output = invoke(handler, STOP_LOGGING);

        // THEN
        assertThat(output.at("/results/0/action").asText()).isEqualTo("HANDLED_ELSEWHERE");
        verify(sns, never()).publish(any(PublishRequest.class));
    }

    @Test
    void handleRequest_shouldSendThePendingAlertOnRetry_whenPublishingFailedOnce() throws IOException {
        // GIVEN SNS failing the first time
        WatcherHandler handler = handler(Map.of());
        when(sns.publish(any(PublishRequest.class)))
                .thenThrow(NotFoundException.builder().message("Topic does not exist").build())
                .thenReturn(PublishResponse.builder().messageId("m-2").build());

        // WHEN the first attempt runs, THEN it fails for Lambda to retry, with the alert pending in the ledger
        assertThatThrownBy(() -> invoke(handler, STOP_LOGGING)).isInstanceOf(NotFoundException.class);
        assertThat(ledger.get(EVENT_ID + "|" + SUBJECT).get("alertStatus").s()).isEqualTo("SENDING");

        // WHEN Lambda retries after the claim ran out
        clock.advance(java.time.Duration.ofMinutes(1));
        ledger.get(EVENT_ID + "|" + SUBJECT).put("alertStatus", AttributeValue.fromS("PENDING"));
        JsonNode retry = invoke(handler, STOP_LOGGING);

        // THEN the stored alert goes out, once
        assertThat(retry.at("/results/0/alert").asText()).isEqualTo("sent");
        assertThat(ledger.get(EVENT_ID + "|" + SUBJECT).get("alertStatus").s()).isEqualTo("SENT");
        verify(sns, times(2)).publish(any(PublishRequest.class));
    }

    @Test
    void handleRequest_shouldStillAlert_whenTheLedgerItselfIsGone() throws IOException {
        // GIVEN the ledger table deleted: the very call being reported
        when(dynamo.getItem(any(GetItemRequest.class))).thenThrow(ResourceNotFoundException.builder()
                .message("Requested resource not found").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build()).build());
        String deleteLedger = TestEvents.sample("watch-ledger-delete-table.json").toString();

        // WHEN
        JsonNode output = invoke(handler(Map.of()), deleteLedger);

        // THEN
        assertThat(output.at("/results/0/alert").asText()).isEqualTo("sent without ledger");
        ArgumentCaptor<PublishRequest> publish = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(publish.capture());
        assertThat(publish.getValue().subject()).isEqualTo(
                "[CRITICAL] ddb-warden watcher: ledger ddb-warden-Ledger-ABC123 deleted (us-east-1)");
    }

    @Test
    void handleRequest_shouldPropagate_whenTheLedgerThrottles() {
        DynamoDbException throttled = (DynamoDbException) DynamoDbException.builder().statusCode(400).message("Rate exceeded")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        when(dynamo.getItem(any(GetItemRequest.class))).thenThrow(throttled);

        assertThatThrownBy(() -> invoke(handler(Map.of()), STOP_LOGGING)).isSameAs(throttled);
        verifyNoInteractions(sns);
    }

    @Test
    void handleRequest_shouldPropagateTheLedgersError_whenItCarriesNoErrorCode() {
        // GIVEN an error without details (a connection reset surfaces so): thrown as it is, for Lambda to retry
        DynamoDbException bare = (DynamoDbException) DynamoDbException.builder().message("connection reset").build();
        when(dynamo.getItem(any(GetItemRequest.class))).thenThrow(bare);

        assertThatThrownBy(() -> invoke(handler(Map.of()), STOP_LOGGING)).isSameAs(bare);
        verifyNoInteractions(sns);
    }

    @Test
    void handleRequest_shouldAlertLow_whenTheDeploymentRoleMadeTheCall() throws IOException {
        String deploy = TestEvents.sample("watch-deployer-update-function-code.json").toString();

        JsonNode output = invoke(handler(Map.of(EnvVar.DEPLOYMENT_ROLE_ARN, DEPLOYER_ROLE)), deploy);

        assertThat(output.at("/results/0/severity").asText()).isEqualTo("LOW");
        ArgumentCaptor<PublishRequest> publish = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(publish.capture());
        assertThat(publish.getValue().subject()).startsWith("[LOW] ddb-warden watcher:");
    }

    @Test
    void handleRequest_shouldIgnore_withoutACall_whenTheCallLeavesDdbWardenAlone() throws IOException {
        JsonNode output = invoke(handler(Map.of()), TestEvents.sample("watch-disable-rule-other.json").toString());

        assertThat(output.path("ignored").asText()).isEqualTo("DisableRule from events.amazonaws.com leaves ddb-warden's stack ddb-warden alone");
        verify(dynamo, never()).getItem(any(GetItemRequest.class));
        verifyNoInteractions(sns);
    }

    @Test
    void handleRequest_shouldIgnore_whenInputIsNotACloudTrailEvent() throws IOException {
        WatcherHandler handler = handler(Map.of());

        assertThat(invoke(handler, "{\"detail-type\": ").path("ignored").asText()).startsWith("the event is not valid JSON");
        assertThat(invoke(handler, "{\"detail-type\": \"Scheduled Event\"}").path("ignored").asText()).contains("detail-type");
        verifyNoInteractions(sns);
    }

    @Test
    void constructor_shouldRefuseToStart_namingTheVariable_whenStackNameIsEmpty() {
        assertThatThrownBy(() -> handler(Map.of(EnvVar.STACK_NAME, " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(EnvVar.STACK_NAME);
    }
}
