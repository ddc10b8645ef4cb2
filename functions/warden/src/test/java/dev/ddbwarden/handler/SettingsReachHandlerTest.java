package dev.ddbwarden.handler;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.RegionalTrail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A settings change reaches the running function: the same handler instance (one container of the
 * version {@code live} points at) switches from notify to remediate once the settings parameter says so
 * and its minute has passed, with no new version published. SSM and DynamoDB are mocked clients.
 */
class SettingsReachHandlerTest {
    private static final String NAME = "/ddb-warden/ddb-warden/settings";
    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final SsmClient ssm = SdkMocks.client(SsmClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));

    @BeforeEach
    void stubClients() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ARN).tableStatus("ACTIVE").deletionProtectionEnabled(false))
                .build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());
        when(ssm.getParameter(any(GetParameterRequest.class))).thenReturn(
                parameter("REMEDIATION_MODE=notify\nALLOWED_REGIONS=us-east-1"),
                parameter("REMEDIATION_MODE=remediate\nALLOWED_REGIONS=us-east-1"));
    }

    private static GetParameterResponse parameter(String value) {
        return GetParameterResponse.builder().parameter(Parameter.builder().name(NAME).value(value).build()).build();
    }

    private JsonNode invoke(WardenHandler handler) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event("CreateTable", "orders").toString()
                .getBytes(StandardCharsets.UTF_8)), output, new FakeContext(60_000));
        return JSON.readTree(output.toByteArray());
    }

    @Test
    void aChangedParameter_shouldReachTheNextInvocation_onceItsMinuteHasPassed() throws IOException {
        // GIVEN a function started while the parameter said notify
        SettingsSource source = SettingsSource.of(Map.of(EnvVar.SETTINGS_PARAMETER, NAME)::get, () -> ssm, clock, () -> { });
        WardenHandler handler = new WardenHandler(new DeletionProtectionRule(), new Services(dynamo,
                SdkMocks.client(SnsClient.class), () -> SdkMocks.client(SqsClient.class), source, clock, clock::advance,
                RegionalDynamo.single(dynamo), RegionalTrail.standard()));

        // WHEN an unprotected table is reported, THEN notify: nothing is fixed
        assertThat(invoke(handler).at("/results/0/action").asText()).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        verify(dynamo, never()).updateTable(any(UpdateTableRequest.class));

        // WHEN the deployer switched the parameter to remediate and a minute passed
        clock.advance(SettingsSource.MAX_AGE);

        // THEN the same container fixes the next one
        assertThat(invoke(handler).at("/results/0/action").asText()).isEqualTo("FIXED");
        verify(dynamo, times(1)).updateTable(any(UpdateTableRequest.class));
    }
}
