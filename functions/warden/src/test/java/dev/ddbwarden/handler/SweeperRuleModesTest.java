package dev.ddbwarden.handler;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

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
 * The sweep runs each rule in its RULE_MODES mode and does not run a rule that is off at all: no read of what
 * only that rule needs, no result, no count. DynamoDB is a mocked client (one unprotected table with a policy).
 */
class SweeperRuleModesTest {
    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final RecordingPublisher publisher = new RecordingPublisher();

    @BeforeEach
    void stubClients() {
        when(dynamo.listTables(any(ListTablesRequest.class))).thenReturn(ListTablesResponse.builder().tableNames("orders").build());
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ARN).tableStatus("ACTIVE").deletionProtectionEnabled(false))
                .build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class)))
                .thenThrow(PolicyNotFoundException.builder().message("no policy").build());
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());
    }

    private SweepPage sweep(String ruleModes) {
        Settings settings = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1", EnvVar.RULE_MODES,
                ruleModes + "," + SweeperAccountsTest.NO_LOOKS)::get);
        Services services = new Services(dynamo, SdkMocks.client(SnsClient.class), SdkMocks.client(SqsClient.class), settings,
                clock, clock::advance);
        return new Sweeper(services, ledger, publisher, "123456789012"::equals).page("sweep-1", "123456789012", "us-east-1", Optional.empty(), false, 50,
                TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
    }

    @Test
    void page_shouldSkipEveryRuleThatIsOff() {
        // WHEN public access and region guard are off
        SweepPage page = sweep("public-access=off,region-guard=off");

        // THEN only deletion protection ran, and fixed; the policy only public access reads was never read
        assertThat(page.results()).extracting(Result::rule).containsExactly("deletion-protection");
        assertThat(page.results()).extracting(Result::action).containsExactly("FIXED");
        assertThat(page.counts()).containsEntry("deletion-protection:us-east-1:FIXED", 1)
                .doesNotContainKeys("public-access:us-east-1:SKIPPED_RULE_OFF", "region-guard:us-east-1:SKIPPED_RULE_OFF");
        verify(dynamo, never()).getResourcePolicy(any(GetResourcePolicyRequest.class));
        verify(dynamo, times(1)).updateTable(any(UpdateTableRequest.class));
    }

    @Test
    void page_shouldOnlyReport_aRuleInNotifyMode_andSaySo() {
        SweepPage page = sweep("deletion-protection=notify");

        assertThat(page.results()).filteredOn(r -> r.rule().equals("deletion-protection"))
                .extracting(Result::action).containsExactly("NOT_FIXED_NOTIFY_MODE");
        verify(dynamo, never()).updateTable(any(UpdateTableRequest.class));
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body())
                .contains("the deletion-protection rule runs in notify mode (RULE_MODES: deletion-protection=notify)")
                .doesNotContain("this sweep only reports"));
    }
}
