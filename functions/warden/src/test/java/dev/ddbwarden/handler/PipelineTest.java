package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.RemediationMode;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.NoLedger;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.APPROVED_ROLE;
import static dev.ddbwarden.TestEvents.EVENT_TIME;
import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.eventBy;
import static dev.ddbwarden.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The shared steps (read, check, fix, record, alert) for the deletion-protection rule, one scenario each. */
class PipelineTest extends PipelineHarness {
    @Test
    void process_shouldProtectRecordAndAlert_whenTableIsUnprotected() throws Exception {
        // GIVEN the table is unprotected, and protected when read again after the fix
        givenReads(table("ACTIVE", false), table("ACTIVE", true));

        // WHEN
        List<Result> results = process(event("CreateTable", "orders"));

        // THEN
        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        ArgumentCaptor<UpdateTableRequest> update = ArgumentCaptor.forClass(UpdateTableRequest.class);
        verify(dynamo, times(1)).updateTable(update.capture());
        assertThat(update.getValue()).isEqualTo(
                UpdateTableRequest.builder().tableName(ARN).deletionProtectionEnabled(true).build());
        LedgerEntry entry = ledger.entry(KEY);
        assertThat(entry.status()).isEqualTo(LedgerEntry.Status.DONE);
        assertThat(entry.alertStatus()).isEqualTo(LedgerEntry.AlertStatus.SENT);
        assertThat(entry.action()).isEqualTo("FIXED");
        assertThat(JSON.readTree(entry.stateBefore()).get("deletionProtectionEnabled").asBoolean()).isFalse();
        assertThat(JSON.readTree(entry.stateAfter()).get("deletionProtectionEnabled").asBoolean()).isTrue();
        assertThat(publisher.published()).singleElement().isEqualTo(entry.alert().orElseThrow())
                .satisfies(a -> assertThat(a.subject()).startsWith("[MEDIUM]"));
        assertThat(ledger.messageId(KEY)).contains("msg-1");
    }

    @Test
    void process_shouldRecordTheStateAfterFromTheFixsAnswer_whenUpdateTableDescribesTheTable() throws Exception {
        // GIVEN an unprotected table; UpdateTable answers with the table's description, as DynamoDB does
        givenReads(table("ACTIVE", false));
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder()
                .tableDescription(table("ACTIVE", true).table()).build());

        // WHEN
        List<Result> results = process(event("CreateTable", "orders"));

        // THEN one read before the fix and none after it: the answer is the state after
        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        verify(dynamo, times(1)).describeTable(any(DescribeTableRequest.class));
        verify(dynamo, times(1)).listTagsOfResource(any(ListTagsOfResourceRequest.class));
        JsonNode after = JSON.readTree(ledger.entry(KEY).stateAfter());
        assertThat(after.get("deletionProtectionEnabled").asBoolean()).isTrue();
        assertThat(after.get("tableArn").asText()).isEqualTo(ARN);
    }

    @Test
    void process_shouldSendTheSameAlertWithoutReadingTheStateAfter_whenTheLedgerKeepsNothing() {
        // GIVEN an unprotected table, fixed once with the in-memory ledger; UpdateTable answers without the
        // table's description, so the state after must be read for the ledger
        givenReads(table("ACTIVE", false), table("ACTIVE", true));
        ObjectNode event = event("CreateTable", "orders");
        process(event);
        verify(dynamo, times(2)).describeTable(any(DescribeTableRequest.class));
        clearInvocations(dynamo);
        givenReads(table("ACTIVE", false), table("ACTIVE", true));

        // WHEN the same event runs without a ledger (LEDGER_TABLE unset)
        List<Result> results = process(new DeletionProtectionRule(), SETTINGS, new NoLedger(), event, 0,
                TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));

        // THEN the same fix and the same alert, and no read made only for the ledger
        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        verify(dynamo, times(1)).describeTable(any(DescribeTableRequest.class));
        verify(dynamo, times(1)).updateTable(any(UpdateTableRequest.class));
        assertThat(publisher.published()).hasSize(2);
        assertThat(publisher.published().get(1)).isEqualTo(publisher.published().get(0));
    }

    @Test
    void process_shouldAlertWhatTheFixFound_notWhatWasPlanned_whenTheTableVanishesDuringTheFix() {
        // GIVEN an unprotected table that is deleted between the read and the UpdateTable
        givenReads(table("ACTIVE", false));
        when(dynamo.updateTable(any(UpdateTableRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("gone").build());

        // WHEN
        List<Result> results = process(event("CreateTable", "orders"));

        // THEN the ledger and the alert tell the outcome, not the fix planned when the entry was opened
        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "TABLE_GONE", "sent"));
        assertThat(ledger.entry(KEY).action()).isEqualTo("TABLE_GONE");
        assertThat(publisher.published()).singleElement().isEqualTo(ledger.entry(KEY).alert().orElseThrow())
                .satisfies(a -> assertThat(a.body()).contains("The table was deleted before ddb-warden could protect it.")
                        .doesNotContain("Turned deletion protection on"));
    }

    @Test
    void process_shouldDoNothingTwice_whenSameEventIsDeliveredAgain() {
        givenReads(table("ACTIVE", false), table("ACTIVE", true));
        ObjectNode event = event("CreateTable", "orders");
        process(event);

        List<Result> again = process(event);

        assertThat(again).containsExactly(Result.skipped(RULE, ARN, "ALREADY_HANDLED"));
        assertThat(updateTableCalls()).isEqualTo(1);
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void process_shouldSendStoredAlertOnRetry_whenPublishFailedAfterFix() {
        // GIVEN SNS fails once
        givenReads(table("ACTIVE", false), table("ACTIVE", true));
        publisher.failNext(1);
        ObjectNode event = event("CreateTable", "orders");

        // WHEN / THEN the failure propagates, with the fix recorded and the alert pending
        assertThatThrownBy(() -> process(event)).isInstanceOf(IllegalStateException.class)
                .hasMessage("SNS is unavailable");
        LedgerEntry pending = ledger.entry(KEY);
        assertThat(pending.status()).isEqualTo(LedgerEntry.Status.DONE);
        assertThat(pending.alertStatus()).isEqualTo(LedgerEntry.AlertStatus.PENDING);
        assertThat(publisher.published()).isEmpty();

        // WHEN Lambda retries
        List<Result> retry = process(event);

        // THEN the stored alert goes out once and the table is not updated again
        assertThat(retry).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        assertThat(publisher.published()).containsExactly(pending.alert().orElseThrow());
        assertThat(updateTableCalls()).isEqualTo(1);
        assertThat(ledger.entry(KEY).alertStatus()).isEqualTo(LedgerEntry.AlertStatus.SENT);
    }

    @Test
    void process_shouldCloseAsAlreadyCompliant_whenEarlierRunDiedAfterFixing() {
        // GIVEN an OPEN entry with its planned alert, and the table already protected
        Alert stored = new Alert("[MEDIUM] ddb-warden deletion-protection: deletion protection off on orders (us-east-1)",
                "stored body", Map.of("severity", "MEDIUM"));
        ledger.seed(new LedgerEntry(KEY, RULE, ARN, "CreateTable", "someone", "MEDIUM", "off", "{}", "", "FIXED",
                LedgerEntry.Status.OPEN, Optional.of(stored), LedgerEntry.AlertStatus.PENDING, EVENT_TIME));
        givenReads(table("ACTIVE", true));

        // WHEN
        List<Result> results = process(event("CreateTable", "orders"));

        // THEN
        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "ALREADY_COMPLIANT", "sent"));
        assertThat(publisher.published()).containsExactly(stored);
        assertThat(updateTableCalls()).isZero();
        LedgerEntry entry = ledger.entry(KEY);
        assertThat(entry.status()).isEqualTo(LedgerEntry.Status.DONE);
        assertThat(entry.action()).isEqualTo("ALREADY_COMPLIANT");
        assertThat(entry.alertStatus()).isEqualTo(LedgerEntry.AlertStatus.SENT);
    }

    @Test
    void process_shouldAlertWithoutFixing_whenInNotifyMode() {
        givenReads(table("ACTIVE", false));

        List<Result> results = process(SETTINGS.withMode(RemediationMode.NOTIFY), event("CreateTable", "orders"), 0,
                TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));

        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "NOT_FIXED_NOTIFY_MODE", "sent"));
        assertThat(updateTableCalls()).isZero();
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body())
                .contains("aws dynamodb update-table --region us-east-1 --table-name " + ARN + " --deletion-protection-enabled"));
    }

    @Test
    void process_shouldNotEvenReadTable_whenTableIsExempt() {
        Settings exempt = Settings.from(Map.of(EnvVar.EXEMPT_TABLES, "scratch-*")::get);

        List<Result> results = process(exempt, event("CreateTable", "scratch-42"), 0, nearlyExhausted());

        assertThat(results).containsExactly(Result.skipped(RULE, TestEvents.table("scratch-42").arn(), "SKIPPED_EXEMPT"));
        verifyNoInteractions(dynamo);
        assertThat(publisher.published()).isEmpty();
        assertThat(ledger.isEmpty()).isTrue();
    }

    @Test
    void process_shouldSkip_whenTableIsInAnotherAccount() {
        String foreign = "arn:aws:dynamodb:us-east-1:999999999999:table/orders";

        List<Result> results = process(event("UpdateTable", foreign));

        assertThat(results).containsExactly(Result.skipped(RULE, foreign, "SKIPPED_OTHER_ACCOUNT"));
        verifyNoInteractions(dynamo, sqs);
        assertThat(ledger.isEmpty()).isTrue();
    }

    @Test
    void process_shouldDeferToRecheck_whenTableStaysCreating() throws Exception {
        // GIVEN
        givenReads(table("CREATING", false));
        ObjectNode event = event("RestoreTableFromBackup", "orders");
        request(event).put("targetTableName", "orders");

        // WHEN
        List<Result> results = process(WITH_QUEUE, event, 0, nearlyExhausted());

        // THEN
        assertThat(results).containsExactly(Result.skipped(RULE, ARN, "DEFERRED"));
        ArgumentCaptor<SendMessageRequest> sent = ArgumentCaptor.forClass(SendMessageRequest.class);
        verify(sqs).sendMessage(sent.capture());
        assertThat(sent.getValue().queueUrl()).isEqualTo(QUEUE);
        assertThat(sent.getValue().delaySeconds()).isEqualTo(600);
        assertThat(JSON.readTree(sent.getValue().messageBody()))
                .isEqualTo(JSON.createObjectNode().put("attempt", 1).set("event", event));
        assertThat(calls).isEmpty();
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void process_shouldGiveUpAndTellManualStep_whenLastRecheckFindsTableCreating() {
        givenReads(table("CREATING", false));

        List<Result> results = process(WITH_QUEUE, event("CreateTable", "orders"), 3, nearlyExhausted());

        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "GAVE_UP", "sent"));
        verify(sqs, never()).sendMessage(any(SendMessageRequest.class));
        assertThat(updateTableCalls()).isZero();
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body())
                .contains("still CREATING after 3 re-checks")
                .contains("What to do: aws dynamodb update-table").contains("--deletion-protection-enabled"));
        assertThat(ledger.entry(KEY).action()).isEqualTo("GAVE_UP");
    }

    @Test
    void process_shouldWaitThenFix_whenTableSettlesWithinBudget() {
        givenReads(table("CREATING", false), table("CREATING", false), table("ACTIVE", false), table("ACTIVE", true));

        List<Result> results = process(event("CreateTable", "orders"));

        // every read after the first comes after a wait
        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        assertThat(calls).containsExactly("sleep", "sleep", "UpdateTable");
    }

    @Test
    void process_shouldLeaveTableAlone_whenDecommissionTagIsActive() {
        givenDecommissionTag();
        givenDecommissionHeld();
        givenReads(table("ACTIVE", false));

        List<Result> results = process(event("UpdateTable", "orders"));

        assertThat(results).containsExactly(Result.skipped(RULE, ARN, "SKIPPED_DECOMMISSIONING"));
        assertThat(updateTableCalls()).isZero();
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void process_shouldStillReportCritical_whenUnapprovedPrincipalDeletesDecommissioningTable() {
        givenDecommissionTag();
        givenDecommissionHeld();
        givenReads(table("DELETING", false));

        List<Result> results = process(event("DeleteTable", "orders"));

        assertThat(results).containsExactly(new Result(RULE, ARN, "CRITICAL", "ALERTED", "sent"));
        assertThat(publisher.published()).singleElement()
                .satisfies(a -> assertThat(a.subject()).startsWith("[CRITICAL]"));
        verify(dynamo, never()).updateTable(any(UpdateTableRequest.class));
        verify(dynamo, never()).tagResource(any(TagResourceRequest.class));
    }

    @Test
    void process_shouldTagForDecommission_whenApprovedPrincipalTurnsProtectionOff() {
        givenReads(table("ACTIVE", false));
        ObjectNode event = eventBy(APPROVED_ROLE, "UpdateTable", "orders");
        request(event).put("deletionProtectionEnabled", false);
        givenTrailRecord(event);

        List<Result> results = process(event);

        assertThat(results).containsExactly(new Result(RULE, ARN, "LOW", "TAGGED", "sent"));
        ArgumentCaptor<TagResourceRequest> tag = ArgumentCaptor.forClass(TagResourceRequest.class);
        verify(dynamo).tagResource(tag.capture());
        assertThat(tag.getValue().tags()).containsExactly(
                Tag.builder().key(Decommission.TAG_KEY).value("2024-05-02T12:00:05Z").build());
        assertThat(updateTableCalls()).isZero();
    }

    @Test
    void process_shouldLeaveItToOtherInvocation_whenLedgerKeyIsTakenMeanwhile() {
        // GIVEN another invocation opens the same key between this one's lookup and its own open
        givenReads(table("ACTIVE", false));
        LedgerEntry theirs = new LedgerEntry(KEY, RULE, ARN, "CreateTable", "them", "MEDIUM", "off", "{}", "",
                "FIXED", LedgerEntry.Status.OPEN, Optional.of(new Alert("their subject", "their body", Map.of())),
                LedgerEntry.AlertStatus.PENDING, EVENT_TIME);
        ledger.beforeNextOpen(() -> ledger.seed(theirs));

        // WHEN
        List<Result> results = process(event("CreateTable", "orders"));

        // THEN
        assertThat(results).containsExactly(Result.skipped(RULE, ARN, "HANDLED_ELSEWHERE"));
        assertThat(updateTableCalls()).isZero();
        assertThat(publisher.published()).isEmpty();
        assertThat(ledger.entry(KEY)).isEqualTo(theirs);
    }

    /**
     * A run died with its entry OPEN and the table has since been deleted: nothing shows the fix landed,
     * so the decision is recorded TABLE_GONE, not ALREADY_COMPLIANT.
     */
    @Test
    void process_shouldRecordTableGone_whenEarlierRunDiedAndTableIsGone() {
        ledger.seed(new LedgerEntry(KEY, RULE, ARN, "CreateTable", "someone", "MEDIUM", "off", "{}", "", "FIXED",
                LedgerEntry.Status.OPEN, Optional.of(new Alert("s", "b", Map.of())), LedgerEntry.AlertStatus.PENDING,
                EVENT_TIME));
        when(dynamo.describeTable(any(DescribeTableRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("gone").build());

        assertThat(process(event("CreateTable", "orders"))).extracting(Result::action).containsExactly("TABLE_GONE");
        assertThat(ledger.entry(KEY).action()).isEqualTo("TABLE_GONE");
    }
}
