package dev.ddbwarden.handler;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.ddbwarden.TestEvents.EVENT_ID;
import static dev.ddbwarden.TestEvents.addReplicas;
import static dev.ddbwarden.TestEvents.createGlobalTable;
import static dev.ddbwarden.TestEvents.createTableIn;
import static dev.ddbwarden.TestEvents.tableIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The region-guard rule through the shared pipeline, over a mocked DynamoDB client. These paths are
 * covered here and not against moto_server, which cannot model them: moto has no global-table replicas
 * (version 2019.11.21) to add or remove, no legacy global tables (CreateGlobalTable, UpdateGlobalTable),
 * no stream policies, and never refuses a policy update made within 15 seconds of the last.
 */
class RegionGuardPipelineTest extends RegionGuardHarness {
    private static final String HOME = "us-east-1";
    private static final String ORDERS_ARN = tableIn(HOME, "orders").arn();

    private Alert onlyAlert() {
        assertThat(publisher.published()).hasSize(1);
        return publisher.published().get(0);
    }

    @Test
    void process_shouldWaitForTheTableThenQuarantineAndAlert_whenATableIsCreatedInAForbiddenRegion() {
        // GIVEN the new table is CREATING at the first read, ACTIVE at the second
        givenStatuses("CREATING", "ACTIVE");

        // WHEN
        List<Result> results = run(createTableIn(SYDNEY, COPY.name()));

        // THEN it waited, wrote the statement on NO_POLICY, then tagged
        assertThat(results).containsExactly(new Result(GUARD_RULE, COPY.arn(), "HIGH", "FIXED", "sent"));
        assertThat(calls).containsSubsequence("sleep", "PutResourcePolicy(table)", "TagResource");
        assertThat(calls.indexOf("sleep")).isLessThan(calls.indexOf("PutResourcePolicy(table)"));
        assertThat(putRequests()).singleElement().satisfies(put -> {
            assertThat(put.resourceArn()).isEqualTo(COPY.arn());
            assertThat(put.expectedRevisionId()).isEqualTo("NO_POLICY");
            assertThat(QuarantineStatement.isIn(put.policy())).isTrue();
            assertThat(put.policy()).contains(SECURITY_ROLE).doesNotContain("NotPrincipal");
        });
        assertThat(tagRequests()).singleElement().satisfies(tag -> {
            assertThat(tag.resourceArn()).isEqualTo(COPY.arn());
            assertThat(tag.tags()).extracting(Tag::key).containsExactly(QuarantineStatement.TAG_KEY);
            assertThat(tag.tags().get(0).value()).contains(EVENT_ID);
        });
        Alert alert = onlyAlert();
        assertThat(alert.subject()).startsWith("[HIGH] ddb-warden region-guard: customer-copy (ap-southeast-2)");
        assertThat(alert.body()).contains("us-east-1, eu-west-1", "To release the table", "To move its data",
                "To delete it", "To break the glass", "Quarantined the table in place");
        assertThat(ledger.entry(COPY_KEY).action()).isEqualTo("FIXED");
        assertThat(ledger.entry(COPY_KEY).status()).isEqualTo(LedgerEntry.Status.DONE);
    }

    @Test
    void process_shouldQuarantineTableThenStreamThenTag_whenTheTableHasAStream() {
        // GIVEN
        givenStream();

        // WHEN
        run(createTableIn(SYDNEY, COPY.name()));

        // THEN
        assertThat(calls).containsSubsequence("PutResourcePolicy(table)", "PutResourcePolicy(stream)", "TagResource");
        assertThat(putRequests()).extracting(PutResourcePolicyRequest::resourceArn).containsExactly(COPY.arn(), stream());
        assertThat(count("TagResource")).isEqualTo(1);
    }

    @Test
    void process_shouldRecordTheQuarantineAsTheStateAfterWithoutReadingAgain_whenTheWritesAnswer() {
        // GIVEN
        givenStream();

        // WHEN
        run(createTableIn(SYDNEY, COPY.name()));

        // THEN the policies under the revisions the puts answered with, and the tag: nothing read after the writes
        assertThat(calls).endsWith("PutResourcePolicy(table)", "PutResourcePolicy(stream)", "TagResource");
        assertThat(ledger.entry(COPY_KEY).stateAfter()).contains("\"revisionId\":\"written-1\"")
                .contains("\"revisionId\":\"written-2\"").contains(QuarantineStatement.TAG_KEY);
        assertThat(ledger.entry(COPY_KEY).stateBefore()).doesNotContain(QuarantineStatement.TAG_KEY);
    }

    @Test
    void process_shouldAlertWithoutQuarantine_whenTheTableIsExempt() {
        // GIVEN EXEMPT_TABLES names the table: it does not skip this rule
        givenStatuses("CREATING", "ACTIVE");

        // WHEN
        List<Result> results = run(guarding(Map.of(EnvVar.EXEMPT_TABLES, "customer-*")), createTableIn(SYDNEY, COPY.name()));

        // THEN
        assertThat(results).containsExactly(new Result(GUARD_RULE, COPY.arn(), "HIGH", "ALERTED", "sent"));
        assertThat(putRequests()).isEmpty();
        assertThat(tagRequests()).isEmpty();
        assertThat(onlyAlert().body()).contains("exempt from quarantine (EXEMPT_TABLES)");
    }

    @Test
    void process_shouldStillQuarantine_whenTheTableCarriesADecommissionTag() {
        // GIVEN this rule ignores decommissions
        givenDecommissionTag();

        // WHEN
        List<Result> results = run(createTableIn(SYDNEY, COPY.name()));

        // THEN
        assertThat(results).containsExactly(new Result(GUARD_RULE, COPY.arn(), "HIGH", "FIXED", "sent"));
        assertThat(count("PutResourcePolicy(table)")).isEqualTo(1);
        assertThat(count("TagResource")).isEqualTo(1);
    }

    @Test
    void process_shouldOnlyAlertWithTheSteps_whenInNotifyMode() {
        // WHEN
        List<Result> results = run(guarding(Map.of(EnvVar.REMEDIATION_MODE, "notify")),
                createTableIn(SYDNEY, COPY.name()));

        // THEN
        assertThat(results).containsExactly(new Result(GUARD_RULE, COPY.arn(), "HIGH", "NOT_FIXED_NOTIFY_MODE", "sent"));
        assertThat(putRequests()).isEmpty();
        assertThat(tagRequests()).isEmpty();
        assertThat(onlyAlert().body()).contains("notify mode", "aws dynamodb put-resource-policy --resource-arn "
                + COPY.arn() + " --expected-revision-id NO_POLICY", "tag-resource");
    }

    @Test
    void process_shouldWaitAtLeast15SecondsAndPutAgain_whenThePolicyUpdateIsRefusedOnce() {
        // GIVEN
        givenPutAnswers(inUse());

        // WHEN
        List<Result> results = run(createTableIn(SYDNEY, COPY.name()));

        // THEN
        assertThat(results).containsExactly(new Result(GUARD_RULE, COPY.arn(), "HIGH", "FIXED", "sent"));
        assertThat(waits).singleElement().satisfies(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofSeconds(15)));
        assertThat(calls).containsSubsequence("PutResourcePolicy(table)", "sleep", "PutResourcePolicy(table)",
                "TagResource");
        assertThat(putRequests()).hasSize(2).allSatisfy(p -> assertThat(p.expectedRevisionId()).isEqualTo("NO_POLICY"));
        assertThat(count("TagResource")).isEqualTo(1);
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void process_shouldRemoveTheReplicaThroughTheSourceAndAlert_whenAReplicaIsAddedInAForbiddenRegion() {
        // GIVEN the source in us-east-1 now has replicas in Sydney and Dublin
        givenTable(tableIn(HOME, "orders"), SYDNEY, "eu-west-1");

        // WHEN
        List<Result> results = run(addReplicas("orders", SYDNEY));

        // THEN
        assertThat(results).containsExactly(new Result(GUARD_RULE, ORDERS_ARN, "HIGH", "FIXED", "sent"));
        assertThat(updateRequests()).containsExactly(UpdateTableRequest.builder().tableName(ORDERS_ARN)
                .replicaUpdates(ReplicationGroupUpdate.builder().delete(d -> d.regionName(SYDNEY)).build()).build());
        assertThat(putRequests()).as("the source is never quarantined").isEmpty();
        assertThat(tagRequests()).isEmpty();
        assertThat(onlyAlert().body()).contains("replicas in " + SYDNEY, "Removed the replica(s) in " + SYDNEY);
    }

    @Test
    void process_shouldAlertOnly_whenALegacyGlobalTableSpansAForbiddenRegion() {
        // GIVEN
        givenTable(tableIn(HOME, "legacy-orders"));

        // WHEN
        List<Result> results = run(createGlobalTable("legacy-orders", "us-east-1", SYDNEY));

        // THEN
        assertThat(results).containsExactly(
                new Result(GUARD_RULE, tableIn(HOME, "legacy-orders").arn(), "HIGH", "ALERTED", "sent"));
        assertThat(updateTableCalls()).isZero();
        assertThat(putRequests()).isEmpty();
        assertThat(onlyAlert().body()).contains(SYDNEY, "update-global-table --global-table-name legacy-orders");
    }

    @Test
    void process_shouldDoNothing_whenTheTableIsInAnAllowedRegion() {
        // GIVEN
        givenTable(tableIn("eu-west-1", "customer-copy"));

        // WHEN
        List<Result> results = run(createTableIn("eu-west-1", "customer-copy"));

        // THEN
        assertThat(results).extracting(Result::action).containsExactly("COMPLIANT");
        assertThat(putRequests()).isEmpty();
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void process_shouldReadAgainUntilTheReplicaShows_whenTheFirstReadDoesNotListIt() {
        // GIVEN the first read does not list the Sydney replica the call created, the next ones do
        givenTable(tableIn(HOME, "orders"));
        givenReplicasPerRead(List.of(), List.of(SYDNEY));

        // WHEN
        List<Result> results = run(addReplicas("orders", SYDNEY));

        // THEN
        assertThat(results).extracting(Result::action).containsExactly("FIXED");
        assertThat(updateRequests()).hasSize(1);
        assertThat(ledger.entry(LedgerKey.of(EVENT_ID, GUARD_RULE, ORDERS_ARN)).action()).isEqualTo("FIXED");
    }
}
