package dev.ddbwarden.handler;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.state.TimeBudget;
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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The sweep across an Organization's accounts: each account has its own cap on fixes and its own first, report-only
 * sweep, and an account ddb-warden may not act in is refused with a reason and counted, never read. DynamoDB is one
 * mocked client per account (one unprotected table in each).
 */
class SweeperAccountsTest {
    private static final String HOME = "123456789012";
    private static final String MEMBER = "210987654321";
    private static final String STRANGER = "555555555555";
    /**
     * The rules that look beside tables (DAX clusters, IAM users) read in each account through AccountAccess, whose SDK
     * chain needs a region a unit test does not have: they are off in the table sweeps here (OrgSweepLooksIT sweeps them).
     */
    static final String NO_LOOKS = "dax=off,iam-users=off";

    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final Map<String, DynamoDbClient> clients = Map.of(HOME, table(HOME), MEMBER, table(MEMBER), STRANGER, table(STRANGER));
    private final Sweeper sweeper = new Sweeper(new Services(clients.get(HOME), SdkMocks.client(SnsClient.class),
            SdkMocks.client(SqsClient.class), Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1",
            EnvVar.RULE_MODES, "public-access=off,region-guard=off," + NO_LOOKS)::get), clock, clock::advance,
            (account, region) -> clients.get(account)), ledger, new RecordingPublisher(), Set.of(HOME, MEMBER)::contains);

    private static DynamoDbClient table(String account) {
        DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
        when(dynamo.listTables(any(ListTablesRequest.class))).thenReturn(ListTablesResponse.builder().tableNames("orders").build());
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn("arn:aws:dynamodb:us-east-1:" + account + ":table/orders")
                        .tableStatus("ACTIVE").deletionProtectionEnabled(false))
                .build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class)))
                .thenThrow(PolicyNotFoundException.builder().message("no policy").build());
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());
        return dynamo;
    }

    private SweepPage page(String sweepId, String account, int maxFixes) {
        boolean reportOnly = sweeper.reportOnlyIn(sweepId, account, false);
        return sweeper.page(sweepId, account, "us-east-1", Optional.empty(), reportOnly, maxFixes,
                TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
    }

    @Test
    void page_shouldRefuseAnAccountItMayNotActIn_withAReason_andReadNothingThere() {
        SweepPage page = page("sweep-1", STRANGER, 50);

        assertThat(page.nextToken()).isEmpty();
        assertThat(page.counts()).containsEntry("failed", 1).containsEntry("sweep:" + STRANGER + ":ACCOUNT_REFUSED", 1);
        assertThat(ledger.sweepCounts("sweep-1")).containsEntry("sweep:" + STRANGER + ":ACCOUNT_REFUSED", 1);
        verify(clients.get(STRANGER), never()).listTables(any(ListTablesRequest.class));
        assertThat(ledger.hasSwept(STRANGER)).isFalse();
    }

    @Test
    void eachAccount_shouldOnlyReport_inItsOwnFirstSweep_evenAfterItsFirstRegionEnds() {
        ledger.markSwept("installed-earlier", HOME);

        SweepPage home = page("sweep-1", HOME, 50);
        SweepPage member = page("sweep-1", MEMBER, 50);
        // the member's region ended, so it counts as swept; this sweep's later pages there still only report
        SweepPage memberAgain = page("sweep-1", MEMBER, 50);

        assertThat(home.counts()).containsEntry("fixed", 1);
        assertThat(member.counts()).doesNotContainKey("fixed").containsEntry("sweep:" + MEMBER + ":REPORT_ONLY", 1);
        assertThat(memberAgain.counts()).doesNotContainKey("fixed");
        verify(clients.get(MEMBER), never()).updateTable(any(UpdateTableRequest.class));
        assertThat(ledger.hasSwept(MEMBER)).isTrue();

        SweepPage next = page("sweep-2", MEMBER, 50);
        assertThat(next.counts()).containsEntry("fixed", 1);
    }

    @Test
    void theCap_shouldBeEachAccountsOwn_soOneAccountsFixesLeaveAnothersSlots() {
        ledger.markSwept("installed-earlier", HOME);
        ledger.markSwept("installed-earlier", MEMBER);

        SweepPage home = page("sweep-1", HOME, 1);
        SweepPage member = page("sweep-1", MEMBER, 1);

        assertThat(home.counts()).containsEntry("fixed", 1);
        assertThat(member.counts()).containsEntry("fixed", 1).doesNotContainKey("capped");
        verify(clients.get(MEMBER), times(1)).updateTable(any(UpdateTableRequest.class));
    }
}
