package dev.ddbwarden.handler;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.ConfigException;
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
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A rule's mode reaches the running function as the settings parameter changes, with no new version: the same
 * handler instance goes from notify to off to remediate, a document naming a rule that does not exist stops a
 * start and is refused on a re-read, which keeps the last good modes. SSM and DynamoDB are mocked clients.
 */
class RuleModesReachHandlerTest {
    private static final String NAME = "/ddb-warden/ddb-warden/settings";
    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private static final String BASE = "REMEDIATION_MODE=remediate\nALLOWED_REGIONS=us-east-1\n";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final SsmClient ssm = SdkMocks.client(SsmClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));
    private final AtomicInteger failedReads = new AtomicInteger();

    @BeforeEach
    void stubClients() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ARN).tableStatus("ACTIVE").deletionProtectionEnabled(false))
                .build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());
    }

    private void parameterSays(String first, String... then) {
        GetParameterResponse[] rest = new GetParameterResponse[then.length];
        for (int i = 0; i < then.length; i++) {
            rest[i] = parameter(then[i]);
        }
        when(ssm.getParameter(any(GetParameterRequest.class))).thenReturn(parameter(first), rest);
    }

    private static GetParameterResponse parameter(String value) {
        return GetParameterResponse.builder().parameter(Parameter.builder().name(NAME).value(value).build()).build();
    }

    private WardenHandler start() {
        SettingsSource source = SettingsSource.of(Map.of(EnvVar.SETTINGS_PARAMETER, NAME)::get, () -> ssm, clock,
                failedReads::incrementAndGet);
        return new WardenHandler(new DeletionProtectionRule(), new Services(dynamo, SdkMocks.client(SnsClient.class),
                () -> SdkMocks.client(SqsClient.class), source, clock, clock::advance, RegionalDynamo.single(dynamo),
                RegionalTrail.standard()));
    }

    private String action(WardenHandler handler) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event("CreateTable", "orders").toString()
                .getBytes(StandardCharsets.UTF_8)), output, new FakeContext(60_000));
        JsonNode result = JSON.readTree(output.toByteArray());
        return result.at("/results/0/action").asText();
    }

    @Test
    void aChangedRuleMode_shouldReachTheNextInvocation_andATypoShouldKeepTheLastGoodModes() throws IOException {
        // GIVEN a function started while the parameter put deletion protection in notify mode
        parameterSays(BASE + "RULE_MODES=deletion-protection=notify",
                BASE + "RULE_MODES=deletion-protection=off",
                BASE + "RULE_MODES=deletion-protecton=remediate",
                BASE + "RULE_MODES=deletion-protection=remediate");
        WardenHandler handler = start();

        // WHEN / THEN notify: nothing is fixed
        assertThat(action(handler)).isEqualTo("NOT_FIXED_NOTIFY_MODE");

        // WHEN the deployer turned the rule off and a minute passed, THEN the same container does nothing
        clock.advance(SettingsSource.MAX_AGE);
        assertThat(action(handler)).isEqualTo("SKIPPED_RULE_OFF");

        // WHEN the parameter names a rule that does not exist, THEN it is refused and the rule stays off
        clock.advance(SettingsSource.MAX_AGE);
        assertThat(action(handler)).isEqualTo("SKIPPED_RULE_OFF");
        assertThat(failedReads).hasValue(1);
        verify(dynamo, times(0)).updateTable(any(UpdateTableRequest.class));

        // WHEN the typo is corrected, THEN the rule fixes again
        clock.advance(SettingsSource.MAX_AGE);
        assertThat(action(handler)).isEqualTo("FIXED");
        verify(dynamo, times(1)).updateTable(any(UpdateTableRequest.class));
    }

    @Test
    void aStart_shouldFail_whenRuleModesNamesARuleTheRegistryDoesNotHave() {
        parameterSays(BASE + "RULE_MODES=public-acess=off");

        assertThatThrownBy(this::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("RULE_MODES").hasMessageContaining("public-acess");
    }

    @Test
    void aStart_shouldFail_whenRuleModesHasAnUnknownMode() {
        parameterSays(BASE + "RULE_MODES=public-access=disabled");

        assertThatThrownBy(this::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("RULE_MODES").hasMessageContaining("disabled");
    }
}
