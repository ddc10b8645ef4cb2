package dev.ddbwarden.handler;

import dev.ddbwarden.config.RemediationMode;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DeleteResourcePolicyRequest;

import java.time.Duration;
import java.util.List;

import static dev.ddbwarden.TestEvents.createTableWithPolicy;
import static dev.ddbwarden.TestEvents.putResourcePolicy;
import static dev.ddbwarden.TestPolicies.EVERYONE;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.PARTNER;
import static dev.ddbwarden.TestPolicies.STRANGER;
import static dev.ddbwarden.TestPolicies.STREAM_TO_STRANGER;
import static dev.ddbwarden.TestPolicies.TRUSTING;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The public-access rule through the shared pipeline, over a mocked DynamoDB client. These paths are
 * covered here and not against moto_server, which cannot model them: moto holds no stream policies,
 * ignores {@code resourcePolicy} on CreateTable, never refuses a policy update made within 15 seconds
 * of the last, and reads policies back at once instead of eventually.
 */
class PublicAccessPipelineTest extends PublicAccessHarness {
    private static final String LEAKING = policy(OWN_ROLE, EVERYONE);

    @Test
    void process_shouldReadUntilThePutShowsThenTakeTheStatementBack_whenThePolicyReadLags() throws Exception {
        // GIVEN the event produced t-1; the first two reads still show the clean t-0
        givenPolicies(ARN, at(policy(OWN_ROLE), "t-0"), at(policy(OWN_ROLE), "t-0"), at(LEAKING, "t-1"));

        // WHEN
        List<Result> results = run(putResourcePolicy(ARN, LEAKING, "t-1"));

        // THEN three reads of the table's policy, then the fix on t-1, whose answer is the state after: no read
        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "CRITICAL", "FIXED", "sent"));
        assertThat(calls).containsExactly("GetResourcePolicy(table)", "sleep", "GetResourcePolicy(table)", "sleep",
                "GetResourcePolicy(table)", "PutResourcePolicy(table)");
        assertThat(putRequests()).containsExactly(put(ARN, policy(OWN_ROLE), "t-1"));
        LedgerEntry entry = ledger.entry(POLICY_KEY);
        assertThat(entry.status()).isEqualTo(LedgerEntry.Status.DONE);
        assertThat(entry.stateBefore()).contains("\"revisionId\":\"t-1\"").contains("EveryoneRead");
        assertThat(entry.stateAfter()).contains("\"revisionId\":\"written-1\"").doesNotContain("EveryoneRead");
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body()).contains(EVERYONE));
    }

    @Test
    void process_shouldWaitAtLeast15SecondsAndPutAgain_whenThePolicyUpdateIsRefusedOnce() {
        // GIVEN
        givenPolicies(ARN, at(LEAKING, "t-1"), at(policy(OWN_ROLE), "t-2"));
        givenPutAnswers(inUse());

        // WHEN
        List<Result> results = run(putResourcePolicy(ARN, LEAKING, "t-1"));

        // THEN
        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "CRITICAL", "FIXED", "sent"));
        assertThat(waits).singleElement().satisfies(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofSeconds(15)));
        assertThat(putRequests()).containsExactly(put(ARN, policy(OWN_ROLE), "t-1"), put(ARN, policy(OWN_ROLE), "t-1"));
        assertThat(calls).containsSubsequence("PutResourcePolicy(table)", "sleep", "PutResourcePolicy(table)");
        assertThat(publisher.published()).hasSize(1);
        assertThat(ledger.entry(POLICY_KEY).action()).isEqualTo("FIXED");
    }

    @Test
    void process_shouldLeaveItToLambdasRetry_whenThePolicyUpdateIsRefusedPastTheBudget() {
        // GIVEN refused for as long as this invocation can wait (20 s: one wait of 15 s fits, two do not)
        givenPolicies(ARN, at(LEAKING, "t-1"), at(LEAKING, "t-1"), at(policy(OWN_ROLE), "t-2"));
        givenPutAnswers(inUse(), inUse());

        // WHEN / THEN
        assertThatThrownBy(() -> run(TRUSTING, putResourcePolicy(ARN, LEAKING, "t-1"),
                TimeBudget.of(clock, Duration.ofSeconds(20), Duration.ZERO))).isInstanceOf(ResourceBusy.class);
        assertThat(count("PutResourcePolicy(table)")).isEqualTo(2);
        assertThat(waits).hasSize(1);
        assertThat(ledger.entry(POLICY_KEY).status()).isEqualTo(LedgerEntry.Status.OPEN);
        assertThat(publisher.published()).isEmpty();

        // WHEN Lambda retries once DynamoDB accepts updates again
        List<Result> retry = run(putResourcePolicy(ARN, LEAKING, "t-1"));

        // THEN the open entry is finished: fixed once, one alert
        assertThat(retry).containsExactly(new Result(POLICY_RULE, ARN, "CRITICAL", "FIXED", "sent"));
        assertThat(count("PutResourcePolicy(table)")).isEqualTo(3);
        assertThat(ledger.entry(POLICY_KEY).status()).isEqualTo(LedgerEntry.Status.DONE);
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void process_shouldCloseAsAlreadyCompliant_whenSomeoneElseRemovedTheLeakBeforeTheWrite() {
        // GIVEN the write finds another revision, and the fresh read no leak
        givenPolicies(ARN, at(LEAKING, "t-1"), at(policy(OWN_ROLE), "t-3"));
        givenPutAnswers(revisionMismatch());

        // WHEN
        List<Result> results = run(putResourcePolicy(ARN, LEAKING, "t-1"));

        // THEN
        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "CRITICAL", "ALREADY_COMPLIANT", "sent"));
        // the read that decided again is also the state after for the ledger
        assertThat(calls).containsExactly("GetResourcePolicy(table)", "PutResourcePolicy(table)",
                "GetResourcePolicy(table)");
        assertThat(publisher.published()).singleElement()
                .satisfies(a -> assertThat(a.body()).contains("Someone else made the table compliant first."));
        assertThat(ledger.entry(POLICY_KEY).action()).isEqualTo("ALREADY_COMPLIANT");
    }

    @Test
    void process_shouldRecordTheFreshReadAsStateAfter_whenSomeoneElseRemovedTheLeakBeforeTheWrite() {
        givenPolicies(ARN, at(LEAKING, "t-1"), at(policy(OWN_ROLE), "t-3"));
        givenPutAnswers(revisionMismatch());

        run(putResourcePolicy(ARN, LEAKING, "t-1"));

        assertThat(ledger.entry(POLICY_KEY).stateAfter()).contains("\"revisionId\":\"t-3\"")
                .doesNotContain("EveryoneRead");
    }

    @Test
    void process_shouldReadTheStateAfter_whenTheSecondCutWasRetriedOnTheStateReadBeforeTheFirst() {
        // GIVEN the table's cut lands, the stream's is refused once and then lands
        givenStream();
        givenPolicies(ARN, at(LEAKING, "t-1"), at(policy(OWN_ROLE), "t-9"));
        givenPolicies(STREAM, at(policy(OWN_ROLE, STREAM_TO_STRANGER), "s-1"), at(policy(OWN_ROLE), "s-9"));
        givenPutAnswers(null, inUse(), null);

        // WHEN
        List<Result> results = run(putResourcePolicy(ARN, LEAKING, "t-1"));

        // THEN the retried fix knew only the state read before the first cut: the state after is read
        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "CRITICAL", "FIXED", "sent"));
        assertThat(calls).endsWith("PutResourcePolicy(table)", "PutResourcePolicy(stream)", "sleep",
                "PutResourcePolicy(stream)", "GetResourcePolicy(table)", "GetResourcePolicy(stream)");
        assertThat(ledger.entry(POLICY_KEY).stateAfter()).contains("\"revisionId\":\"t-9\"")
                .contains("\"revisionId\":\"s-9\"").doesNotContain("EveryoneRead");
    }

    @Test
    void process_shouldDecideAgainAndWriteOnTheNewRevision_whenThePolicyChangedToAnotherLeak() {
        // GIVEN the write finds another revision, and the fresh read another leak
        givenPolicies(ARN, at(LEAKING, "t-1"), at(policy(PARTNER, STRANGER), "t-3"), at(policy(PARTNER), "t-4"));
        givenPutAnswers(revisionMismatch());

        // WHEN
        List<Result> results = run(putResourcePolicy(ARN, LEAKING, "t-1"));

        // THEN
        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "HIGH", "FIXED", "sent"));
        assertThat(putRequests()).containsExactly(put(ARN, policy(OWN_ROLE), "t-1"), put(ARN, policy(PARTNER), "t-3"));
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body()).contains(STRANGER));
    }

    @Test
    void process_shouldWaitForTheTableThenTakeThePolicyBack_whenCreateTableCarriedALeakingPolicy() {
        // GIVEN the table is CREATING for two reads; its policy is readable all along
        givenStatuses("CREATING", "CREATING", "ACTIVE");
        givenPolicies(ARN, at(LEAKING, "t-1"));

        // WHEN
        List<Result> results = run(createTableWithPolicy("orders", LEAKING));

        // THEN no write while CREATING
        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "CRITICAL", "FIXED", "sent"));
        assertThat(calls).containsExactly("GetResourcePolicy(table)", "sleep", "GetResourcePolicy(table)", "sleep",
                "GetResourcePolicy(table)", "PutResourcePolicy(table)");
        assertThat(putRequests()).containsExactly(put(ARN, policy(OWN_ROLE), "t-1"));
    }

    /** GetResourcePolicy right after CreateTable may answer PolicyNotFoundException (API reference). */
    @Test
    void process_shouldWaitForThePolicy_whenCreateTablePolicyIsNotReadableYet() {
        givenPolicies(ARN, NONE, NONE, at(LEAKING, "t-1"), at(policy(OWN_ROLE), "t-2"));

        List<Result> results = run(createTableWithPolicy("orders", LEAKING));

        assertThat(results).extracting(Result::action).containsExactly("FIXED");
        assertThat(putRequests()).containsExactly(put(ARN, policy(OWN_ROLE), "t-1"));
    }

    @Test
    void process_shouldDeleteTheStreamPolicyOnItsRevision_whenItsOnlyStatementLeaks() {
        // GIVEN a clean table policy and a stream shared with a stranger (moto holds no stream policies)
        givenStream();
        givenPolicies(ARN, at(policy(OWN_ROLE), "t-1"));
        givenPolicies(STREAM, at(policy(STREAM_TO_STRANGER), "s-1"));

        // WHEN
        List<Result> results = run(putResourcePolicy(STREAM, policy(STREAM_TO_STRANGER), "s-1"));

        // THEN
        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "HIGH", "FIXED", "sent"));
        assertThat(calls).containsExactly("GetResourcePolicy(table)", "GetResourcePolicy(stream)",
                "DeleteResourcePolicy(stream)");
        assertThat(ledger.entry(POLICY_KEY).stateAfter()).contains("\"revisionId\":\"t-1\"")
                .doesNotContain("streamPolicy");
        verify(dynamo).deleteResourcePolicy(
                DeleteResourcePolicyRequest.builder().resourceArn(STREAM).expectedRevisionId("s-1").build());
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body()).contains(STREAM_TO_STRANGER));
    }

    @Test
    void process_shouldOnlyTellTheCommand_whenInNotifyMode() {
        givenPolicies(ARN, at(LEAKING, "t-1"));

        List<Result> results = run(TRUSTING.withMode(RemediationMode.NOTIFY), putResourcePolicy(ARN, LEAKING, "t-1"),
                TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));

        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "CRITICAL", "NOT_FIXED_NOTIFY_MODE", "sent"));
        assertThat(putRequests()).isEmpty();
        verify(dynamo, never()).deleteResourcePolicy(any(DeleteResourcePolicyRequest.class));
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body()).contains(
                "aws dynamodb put-resource-policy --resource-arn " + ARN + " --expected-revision-id t-1 --policy '"
                        + policy(OWN_ROLE) + "'").contains(EVERYONE));
    }

    /**
     * The table's cut lands, the stream's is refused for 15 s; only the stream's is retried, meets a
     * revision someone changed meanwhile, and the pipeline decides again on a state where only the
     * stream leaks. The alert still quotes the table statement this run removed.
     */
    @Test
    void process_shouldQuoteEveryStatementItRemoved_whenTheSecondCutIsRetriedAfterTheFirstLanded() {
        // GIVEN
        givenStream();
        givenPolicies(ARN, at(LEAKING, "t-1"), at(policy(OWN_ROLE), "t-2"));
        givenPolicies(STREAM, at(policy(OWN_ROLE, STREAM_TO_STRANGER), "s-1"), at(policy(OWN_ROLE, STREAM_TO_STRANGER), "s-1"),
                at(policy(OWN_ROLE), "s-2"));
        givenPutAnswers(null, inUse(), revisionMismatch(), null);

        // WHEN
        List<Result> results = run(putResourcePolicy(ARN, LEAKING, "t-1"));

        // THEN
        assertThat(calls).containsSubsequence("PutResourcePolicy(table)", "PutResourcePolicy(stream)", "sleep",
                "PutResourcePolicy(stream)", "GetResourcePolicy(table)", "PutResourcePolicy(stream)");
        assertThat(calls).filteredOn("PutResourcePolicy(table)"::equals).hasSize(1);
        assertThat(publisher.published()).singleElement()
                .satisfies(a -> assertThat(a.body()).contains(STREAM_TO_STRANGER).contains(EVERYONE));
        assertThat(results).containsExactly(new Result(POLICY_RULE, ARN, "CRITICAL", "FIXED", "sent"));
    }
}
