package dev.ddbwarden.handler;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.TestPolicies;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.putResourcePolicy;
import static dev.ddbwarden.TestEvents.refused;
import static dev.ddbwarden.TestPolicies.EVERYONE;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** PublicAccessFunction as Lambda invokes it: refused policy writes are this rule's business, not the others'. */
class PublicAccessHandlerTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ddb-warden-alerts";
    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final SnsClient sns = SdkMocks.client(SnsClient.class);
    private final SqsClient sqs = SdkMocks.client(SqsClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:05Z"));
    private final Settings settings = Settings.from(Map.of(EnvVar.ALERT_TOPIC_ARN, TOPIC,
            EnvVar.TRUSTED_ACCOUNTS, TestPolicies.PARTNER_ACCOUNT, EnvVar.TRUSTED_ORG_IDS, TestPolicies.TRUSTED_ORG)::get);
    private final Services services = new Services(dynamo, sns, sqs, settings, clock, clock::advance);

    @BeforeEach
    void stubClients() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ARN).tableStatus("ACTIVE").deletionProtectionEnabled(true))
                .build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class)))
                .thenReturn(GetResourcePolicyResponse.builder().policy(policy(OWN_ROLE)).revisionId("t-1").build());
        when(sns.publish(any(PublishRequest.class))).thenReturn(PublishResponse.builder().messageId("m-1").build());
    }

    private static JsonNode invoke(RequestStreamHandler handler, ObjectNode event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), output,
                new FakeContext(60_000));
        return JSON.readTree(output.toByteArray());
    }

    @Test
    void handleRequest_shouldReportHigh_whenARefusedPutResourcePolicyWouldHaveOpenedTheTable() throws IOException {
        // GIVEN
        ObjectNode event = refused(putResourcePolicy(ARN, policy(EVERYONE), null), "PolicyNotAllowedException");

        // WHEN
        JsonNode output = invoke(new WardenHandler(new PublicAccessRule(), services), event);

        // THEN
        assertThat(output.has("ignored")).as("output %s", output).isFalse();
        assertThat(output.path("results")).hasSize(1);
        assertThat(output.at("/results/0/rule").asText()).isEqualTo("public-access");
        assertThat(output.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(output.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(output.at("/results/0/alert").asText()).isEqualTo("sent");
        ArgumentCaptor<PublishRequest> publish = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(publish.capture());
        assertThat(publish.getValue().subject()).startsWith("[HIGH] ddb-warden public-access").contains("refused attempt");
        assertThat(publish.getValue().message()).contains(EVERYONE);
        verify(dynamo, never()).putResourcePolicy(any(PutResourcePolicyRequest.class));
        verify(dynamo, never()).deleteResourcePolicy(any(DeleteResourcePolicyRequest.class));
    }

    @Test
    void handleRequest_shouldReportMedium_whenARefusedPutResourcePolicyWasHarmless() throws IOException {
        ObjectNode event = refused(putResourcePolicy(ARN, policy(OWN_ROLE), null), "AccessDeniedException");

        JsonNode output = invoke(new WardenHandler(new PublicAccessRule(), services), event);

        assertThat(output.at("/results/0/severity").asText()).as("output %s", output).isEqualTo("MEDIUM");
        assertThat(output.at("/results/0/action").asText()).isEqualTo("ALERTED");
    }

    @Test
    void handleRequest_shouldIgnoreTheSameRefusedCall_whenTheRuleIsDeletionProtection() throws IOException {
        ObjectNode event = refused(putResourcePolicy(ARN, policy(EVERYONE), null), "PolicyNotAllowedException");

        JsonNode output = invoke(new WardenHandler(new DeletionProtectionRule(), services), event);

        assertThat(output.path("ignored").asText())
                .isEqualTo("PutResourcePolicy failed with PolicyNotAllowedException; nothing changed");
        verifyNoInteractions(sns);
        verify(dynamo, never()).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void handleRequest_shouldIgnore_whenTheEventIsNotOneThisRuleReads() throws IOException {
        JsonNode output = invoke(new WardenHandler(new PublicAccessRule(), services), event("UpdateTable", "orders"));

        assertThat(output.path("ignored").asText()).isEqualTo("UpdateTable from 'dynamodb.amazonaws.com' is not an event the public-access rule reads");
        verifyNoInteractions(sns);
    }
}
