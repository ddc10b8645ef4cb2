package dev.ddbwarden.handler;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ddbwarden.TestEvents.EVENT_ID;
import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.inRegion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

class WardenHandlerTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ddb-warden-alerts";
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ddb-warden-recheck";
    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final SnsClient sns = SdkMocks.client(SnsClient.class);
    private final SqsClient sqs = SdkMocks.client(SqsClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:05Z"));
    private final Settings settings = Settings.from(Map.of(EnvVar.ALERT_TOPIC_ARN, TOPIC,
            EnvVar.RECHECK_QUEUE_URL, QUEUE, EnvVar.MAX_RECHECKS, "5")::get);
    private final WardenHandler handler = new WardenHandler(new DeletionProtectionRule(),
            new Services(dynamo, sns, sqs, settings, clock, clock::advance));

    @BeforeEach
    void stubClients() {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());
        when(sns.publish(any(PublishRequest.class))).thenReturn(PublishResponse.builder().messageId("m-1").build());
        when(sqs.sendMessage(any(SendMessageRequest.class))).thenReturn(SendMessageResponse.builder().build());
    }

    /** Invokes as Lambda does, with a whole minute left unless told otherwise. */
    private JsonNode invoke(String input, int remainingMillis) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output,
                new FakeContext(remainingMillis));
        return JSON.readTree(output.toByteArray());
    }

    private JsonNode invoke(String input) throws IOException {
        return invoke(input, 60_000);
    }

    private void givenTable(String status, boolean protection) {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ARN).tableStatus(status).deletionProtectionEnabled(protection))
                .build());
    }

    /** Every rule function runs WardenHandler: RULE, which template.yaml sets per function, picks the registered rule. */
    @Test
    void ruleNamed_shouldPickTheRegisteredRule_andRefuseAnyOtherName() {
        assertThat(WardenHandler.ruleNamed("region-guard").name()).isEqualTo("region-guard");
        assertThat(WardenHandler.ruleNamed("public-access").name()).isEqualTo("public-access");
        assertThatThrownBy(() -> WardenHandler.ruleNamed("deletion-protecton"))
                .isInstanceOf(dev.ddbwarden.config.ConfigException.class)
                .hasMessageContaining("RULE").hasMessageContaining("deletion-protecton");
        assertThatThrownBy(() -> WardenHandler.ruleNamed(null)).isInstanceOf(dev.ddbwarden.config.ConfigException.class);
    }

    /**
     * With MEMBER_ROLE_NAME empty the function guards its own account (FakeContext's ARN names 123456789012): an
     * event from another account reads nothing, least of all a same-named table of its own.
     */
    @Test
    void anotherAccountsEvent_shouldBeSkippedWithItsReason_whenNoMemberRoleIsNamed() throws IOException {
        givenTable("ACTIVE", false);
        String member = event("CreateTable", "orders").toString().replace("123456789012", "222222222222");

        JsonNode output = invoke(member);

        assertThat(output.path("ignored").asText()).contains("from account 222222222222")
                .contains("guards only its own account 123456789012").contains("MEMBER_ROLE_NAME is empty");
        verifyNoInteractions(dynamo, sns, sqs);
    }

    @Test
    void anotherAccountsEvent_shouldBeActedOnInThatAccount_whenAMemberRoleIsNamed() throws IOException {
        givenTable("ACTIVE", false);
        List<String> asked = new ArrayList<>();
        WardenHandler org = new WardenHandler(new DeletionProtectionRule(), new Services(dynamo, sns, sqs,
                Settings.from(Map.of(EnvVar.ALERT_TOPIC_ARN, TOPIC, EnvVar.MEMBER_ROLE_NAME, "ddb-warden-remediator")::get), clock, clock::advance, (account, region) -> {
                    asked.add(account + "/" + region);
                    return dynamo;
                }));
        String member = event("CreateTable", "orders").toString().replace("123456789012", "222222222222");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        org.handleRequest(new ByteArrayInputStream(member.getBytes(StandardCharsets.UTF_8)), output, new FakeContext(60_000));

        assertThat(JSON.readTree(output.toByteArray()).at("/results/0/table").asText())
                .isEqualTo("arn:aws:dynamodb:us-east-1:222222222222:table/orders");
        assertThat(asked).isNotEmpty().allMatch(key -> key.equals("222222222222/us-east-1"));
    }

    @Test
    void handleRequest_shouldIgnore_whenInputIsNotJson() throws IOException {
        JsonNode output = invoke("{\"detail-type\": ");

        assertThat(output.path("ignored").asText()).startsWith("the event is not valid JSON");
        verifyNoInteractions(dynamo, sns, sqs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n", "null", "42"})
    void handleRequest_shouldIgnore_whenInputIsEmptyOrNotAnObject(String input) throws IOException {
        JsonNode output = invoke(input);

        assertThat(output.path("ignored").asText()).isEqualTo("the event is not a JSON object");
        verifyNoInteractions(dynamo, sns, sqs);
    }

    @Test
    void handleRequest_shouldIgnore_whenInputIsAJsonArray() throws IOException {
        JsonNode output = invoke("[1, 2, 3]");

        assertThat(output.path("ignored").asText()).isEqualTo("the event is not a JSON object");
    }

    @Test
    void handleRequest_shouldIgnore_whenCallFailed() throws IOException {
        ObjectNode event = event("UpdateTable", "orders");
        detail(event).put("errorCode", "AccessDenied");

        JsonNode output = invoke(event.toString());

        assertThat(output.path("ignored").asText()).isEqualTo("UpdateTable failed with AccessDenied; nothing changed");
        verifyNoInteractions(dynamo);
    }

    @Test
    void handleRequest_shouldIgnore_whenRuleDoesNotReadTheEvent() throws IOException {
        JsonNode output = invoke(event("DescribeTable", "orders").toString());

        assertThat(output.path("ignored").asText()).contains("DescribeTable from 'dynamodb.amazonaws.com' is not an event");
        verifyNoInteractions(dynamo);
    }

    /** A trigger's event name written by another service (forged, or a name two services share) is not the trigger. */
    @Test
    void handleRequest_shouldIgnore_whenTheEventNameComesFromAnotherService() throws IOException {
        ObjectNode event = event("UpdateTable", "orders");
        detail(event).put("eventSource", "kms.amazonaws.com");

        JsonNode output = invoke(event.toString());

        assertThat(output.path("ignored").asText()).contains("UpdateTable from 'kms.amazonaws.com' is not an event");
        verifyNoInteractions(dynamo);
    }

    /** No client is built for a region that does not exist: the event is dropped once, not retried into the failure queue. */
    @ParameterizedTest
    @ValueSource(strings = {"xx-fake-9", "us-east-1 ", "US-EAST-1"})
    void handleRequest_shouldIgnoreWithoutACall_whenTheRecordsRegionCannotBeReal(String region) throws IOException {
        JsonNode output = invoke(inRegion(event("CreateTable", "orders"), region).toString());

        assertThat(output.path("ignored").asText()).isEqualTo("detail.awsRegion '" + region
                + "' is not an AWS region (neither one this SDK knows nor one an AWS partition would name)");
        verifyNoInteractions(dynamo, sns, sqs);
    }

    @Test
    void handleRequest_shouldIgnoreWithoutACall_whenTheTablesArnIsInARegionThatCannotBeReal() throws IOException {
        ObjectNode event = event("UpdateTable", "arn:aws:dynamodb:xx-fake-9:123456789012:table/orders");

        JsonNode output = invoke(event.toString());

        assertThat(output.path("ignored").asText()).contains("names region 'xx-fake-9', which is not an AWS region");
        verifyNoInteractions(dynamo, sns, sqs);
    }

    @Test
    void handleRequest_shouldFixAndPublishToTopic_whenTableIsUnprotected() throws IOException {
        // GIVEN
        givenTable("ACTIVE", false);

        // WHEN
        JsonNode output = invoke(event("CreateTable", "orders").toString());

        // THEN the output, as written, fields in order
        assertThat(JSON.writeValueAsString(output)).isEqualTo("{\"eventId\":\"" + EVENT_ID + "\",\"eventName\":\"CreateTable\","
                + "\"results\":[{\"rule\":\"deletion-protection\",\"table\":\"" + ARN + "\",\"severity\":\"MEDIUM\","
                + "\"action\":\"FIXED\",\"alert\":\"sent\"}]}");
        ArgumentCaptor<PublishRequest> publish = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(publish.capture());
        assertThat(publish.getValue().topicArn()).isEqualTo(TOPIC);
        assertThat(publish.getValue().subject()).startsWith("[MEDIUM] ddb-warden deletion-protection");
        assertThat(publish.getValue().messageAttributes()).containsEntry("severity",
                MessageAttributeValue.builder().dataType("String").stringValue("MEDIUM").build());
    }

    @Test
    void handleRequest_shouldProcessInnerEventWithItsAttempt_whenInputIsARecheckBatch() throws IOException {
        // GIVEN a re-check message for attempt 2, the table still CREATING, and no time left to wait
        givenTable("CREATING", false);
        ObjectNode inner = event("CreateTable", "orders");
        ObjectNode body = JSON.createObjectNode().put("attempt", 2).set("event", inner);
        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("Records").addObject().put("eventSource", "aws:sqs").put("body", body.toString());

        // WHEN
        JsonNode output = invoke(batch.toString(), 5_000);

        // THEN the inner event was handled, and re-queued as attempt 3
        assertThat(output.path("records")).hasSize(1);
        assertThat(output.at("/records/0/eventId").asText()).isEqualTo(EVENT_ID);
        assertThat(output.at("/records/0/results/0/action").asText()).isEqualTo("DEFERRED");
        ArgumentCaptor<SendMessageRequest> sent = ArgumentCaptor.forClass(SendMessageRequest.class);
        verify(sqs).sendMessage(sent.capture());
        assertThat(JSON.readTree(sent.getValue().messageBody()))
                .isEqualTo(JSON.createObjectNode().put("attempt", 3).set("event", inner));
    }

    @Test
    void handleRequest_shouldIgnoreRecord_whenRecheckBodyLacksAttempt() throws IOException {
        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("Records").addObject().put("eventSource", "aws:sqs").put("body", "{\"event\":{}}");

        JsonNode output = invoke(batch.toString());

        assertThat(output.at("/records/0/ignored").asText()).isEqualTo("a re-check message without attempt and event");
        verifyNoInteractions(dynamo);
    }

    @Test
    void handleRequest_shouldPropagate_whenDynamoDbThrottles() {
        // GIVEN an error Lambda must see to retry the event
        DynamoDbException throttled = (DynamoDbException) DynamoDbException.builder().statusCode(400)
                .message("Rate exceeded")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenThrow(throttled);

        // WHEN / THEN
        assertThatThrownBy(() -> invoke(event("CreateTable", "orders").toString())).isSameAs(throttled);
        verifyNoInteractions(sns);
    }

    @Test
    void handleRequest_shouldAlertOnceAndNotThrow_whenDdbWardenLacksAPermission() throws IOException {
        // GIVEN a role that may not describe the table (an SCP, a boundary, a Deny in the table's policy)
        DynamoDbException denied = (DynamoDbException) DynamoDbException.builder()
                .message("User: arn:aws:sts::123456789012:assumed-role/ddb-warden/x is not authorized to perform:"
                        + " dynamodb:DescribeTable")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build())
                .build();
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenThrow(denied);

        // WHEN the event arrives
        JsonNode output = invoke(event("CreateTable", "orders").toString());

        // THEN no retry (retrying cannot grant a permission), and one alert naming what was refused
        assertThat(output.path("ignored").asText()).contains("lacks a permission");
        ArgumentCaptor<PublishRequest> published = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(published.capture());
        assertThat(published.getValue().subject()).startsWith("[HIGH] ddb-warden deletion-protection: missing permission");
        assertThat(published.getValue().message()).contains("dynamodb:DescribeTable").contains(EVENT_ID);
    }
}
