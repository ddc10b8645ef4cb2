package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.OuPaths;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import dev.ddbwarden.state.RegionalTrail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static dev.ddbwarden.TestEvents.ACCOUNT;
import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.createTableIn;
import static dev.ddbwarden.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * One function, one container, calls from several accounts: each is judged by its own account's settings
 * (SETTINGS_OVERRIDES), its AllowedRegions and its rule modes, and an account whose OU cannot be read by the
 * strictest. DynamoDB is a mocked client (one for every account and region: what differs is only the settings);
 * AWS Organizations is a fake tree behind {@link OuPaths}.
 */
class AccountSettingsReachHandlerTest {
    private static final String A = "111111111111";
    private static final String B = "222222222222";
    private static final String SANDBOX = "ou-ab12-sandbox1";
    private static final String BASE_REGIONS = "us-east-1,eu-west-1";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:05Z"));
    /** Where each account sits: in the sandbox OU, straight under the root, or unreadable (absent). */
    private final Map<String, OuPaths.Parent> tree = Map.of(A, new OuPaths.Parent(SANDBOX, false),
            SANDBOX, new OuPaths.Parent("r-ab12", true), ACCOUNT, new OuPaths.Parent("r-ab12", true));

    @BeforeEach
    void stubClients() {
        when(dynamo.serviceClientConfiguration()).thenReturn(
                DynamoDbServiceClientConfiguration.builder().region(Region.US_EAST_1).build());
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn("arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders")
                        .tableStatus("ACTIVE").deletionProtectionEnabled(false)).build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class)))
                .thenThrow(PolicyNotFoundException.builder().message("no policy").build());
        when(dynamo.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenReturn(PutResourcePolicyResponse.builder().revisionId("r-1").build());
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());
    }

    private WardenHandler start(Rule rule, String overrides) {
        // A member role named: the calls of the other accounts are the Organization's, acted on through it.
        Map<String, String> environment = Map.of(EnvVar.REMEDIATION_MODE, "remediate", EnvVar.ALLOWED_REGIONS, BASE_REGIONS,
                EnvVar.SETTINGS_OVERRIDES, overrides, EnvVar.MEMBER_ROLE_NAME, "ddb-warden-remediator");
        OuPaths ous = new OuPaths(child -> {
            OuPaths.Parent parent = tree.get(child);
            if (parent == null) {
                throw new IllegalStateException("AccessDeniedException");
            }
            return parent;
        }, clock);
        SettingsSource source = SettingsSource.of(environment::get, () -> SdkMocks.client(SsmClient.class), clock, () -> { },
                Rules.settingNames(), ous);
        return new WardenHandler(rule, new Services(dynamo, SdkMocks.client(SnsClient.class), () -> SdkMocks.client(SqsClient.class),
                source, clock, clock::advance, (account, region) -> dynamo, RegionalTrail.standard()));
    }

    /** The same event as made in {@code account}. */
    private static JsonNode in(String account, ObjectNode event) throws IOException {
        return JSON.readTree(event.toString().replace(ACCOUNT, account));
    }

    private static String action(WardenHandler handler, JsonNode event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), output,
                new FakeContext(60_000));
        JsonNode result = JSON.readTree(output.toByteArray());
        return result.at("/results/0/action").asText(result.toString());
    }

    @Test
    void aTableInSydney_shouldBeAllowedInTheAccountWhoseRegionsIncludeIt_andQuarantinedInAnother() throws IOException {
        // GIVEN account A may hold data in Sydney; the default (every other account) may not
        WardenHandler handler = start(new RegionGuardRule(), "[" + A + "] ALLOWED_REGIONS=us-east-1,ap-southeast-2");

        // WHEN each account creates a table in Sydney, THEN only B's is quarantined
        assertThat(action(handler, in(A, createTableIn("ap-southeast-2", "orders")))).isEqualTo("COMPLIANT");
        assertThat(action(handler, in(B, createTableIn("ap-southeast-2", "orders")))).isEqualTo("FIXED");
        verify(dynamo, times(1)).putResourcePolicy(any(PutResourcePolicyRequest.class));
    }

    @Test
    void eachAccountsRuleMode_shouldDecideForItsCalls_inOneContainer() throws IOException {
        // GIVEN deletion protection notifies in A, is off in B, and remediates elsewhere
        WardenHandler handler = start(new DeletionProtectionRule(),
                "[" + A + "] RULE_MODES=deletion-protection=notify [" + B + "] RULE_MODES=deletion-protection=off");

        assertThat(action(handler, in(A, event("CreateTable", "orders")))).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        assertThat(action(handler, in(B, event("CreateTable", "orders")))).isEqualTo("SKIPPED_RULE_OFF");
        verify(dynamo, times(0)).updateTable(any(UpdateTableRequest.class));
        assertThat(action(handler, event("CreateTable", "orders"))).isEqualTo("FIXED");
        verify(dynamo, times(1)).updateTable(any(UpdateTableRequest.class));
    }

    @Test
    void anOuThatRelaxes_shouldRelaxOnlyTheAccountsReadUnderIt_neverOneWhoseOuCannotBeRead() throws IOException {
        // GIVEN the sandbox OU turns deletion protection off; A is in it, B's OU cannot be read, the home account is at the root
        WardenHandler handler = start(new DeletionProtectionRule(), "[" + SANDBOX + "] RULE_MODES=deletion-protection=off");

        assertThat(action(handler, in(A, event("CreateTable", "orders")))).isEqualTo("SKIPPED_RULE_OFF");
        assertThat(action(handler, in(B, event("CreateTable", "orders")))).isEqualTo("FIXED");
        assertThat(action(handler, event("CreateTable", "orders"))).isEqualTo("FIXED");
    }
}
