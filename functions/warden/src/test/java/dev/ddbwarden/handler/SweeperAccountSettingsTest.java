package dev.ddbwarden.handler;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.OuPaths;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.RegionalTrail;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
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

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The sweep judges each account's tables by that account's settings, with one Sweeper for every account: A may hold
 * data in Sydney and only notifies on deletion protection; B runs the default. DynamoDB is one mocked client per
 * account (moto_server keeps accounts apart only through assumed roles, which AccountAccess's ITs cover).
 */
class SweeperAccountSettingsTest {
    private static final String A = "111111111111";
    private static final String B = "222222222222";
    private static final String SYDNEY = "ap-southeast-2";

    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));
    private final DynamoDbClient home = SdkMocks.client(DynamoDbClient.class);
    private final Map<String, DynamoDbClient> accounts = Map.of(A, account(A), B, account(B));

    private static DynamoDbClient account(String account) {
        DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
        when(dynamo.listTables(any(ListTablesRequest.class))).thenReturn(ListTablesResponse.builder().tableNames("orders").build());
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn("arn:aws:dynamodb:" + SYDNEY + ":" + account + ":table/orders")
                        .tableStatus("ACTIVE").deletionProtectionEnabled(false)).build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class)))
                .thenThrow(PolicyNotFoundException.builder().message("no policy").build());
        when(dynamo.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenReturn(PutResourcePolicyResponse.builder().revisionId("r-1").build());
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());
        return dynamo;
    }

    @Test
    void page_shouldJudgeEachAccountsTablesByItsOwnSettings() {
        when(home.serviceClientConfiguration()).thenReturn(DynamoDbServiceClientConfiguration.builder().region(Region.US_EAST_1).build());
        // The looks beside tables (DAX, IAM) read in each account through AccountAccess, which needs a region: off here.
        Map<String, String> environment = Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1", EnvVar.RULE_MODES, "public-access=off," + SweeperAccountsTest.NO_LOOKS,
                EnvVar.SETTINGS_OVERRIDES, "[" + A + "] ALLOWED_REGIONS=us-east-1," + SYDNEY
                        + "; RULE_MODES=public-access=off,deletion-protection=notify," + SweeperAccountsTest.NO_LOOKS);
        SettingsSource source = SettingsSource.of(environment::get, () -> SdkMocks.client(SsmClient.class), clock, () -> { },
                Rules.settingNames(), OuPaths.unknown());
        Services services = new Services(home, SdkMocks.client(SnsClient.class), () -> SdkMocks.client(SqsClient.class), source,
                clock, clock::advance, (account, region) -> accounts.get(account), RegionalTrail.standard());
        Sweeper sweeper = new Sweeper(services, new InMemoryLedger(), new RecordingPublisher(), account -> true);

        SweepPage a = sweeper.page("sweep-1", A, SYDNEY, Optional.empty(), false, 50, TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
        SweepPage b = sweeper.page("sweep-1", B, SYDNEY, Optional.empty(), false, 50, TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));

        assertThat(a.counts()).containsEntry("deletion-protection:" + SYDNEY + ":NOT_FIXED_NOTIFY_MODE", 1)
                .doesNotContainKey("region-guard:" + SYDNEY + ":FIXED");
        assertThat(b.counts()).containsEntry("deletion-protection:" + SYDNEY + ":FIXED", 1)
                .containsEntry("region-guard:" + SYDNEY + ":FIXED", 1);
        verify(accounts.get(A), never()).updateTable(any(UpdateTableRequest.class));
        verify(accounts.get(A), never()).putResourcePolicy(any(PutResourcePolicyRequest.class));
        verify(accounts.get(B), times(1)).putResourcePolicy(any(PutResourcePolicyRequest.class));
    }
}
