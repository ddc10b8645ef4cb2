package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.handler.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./warden replay-failures}: a failure queue in moto_server holding an EventBridge dead letter, a
 * Lambda on-failure record and garbage, re-driven through the real handlers.
 */
class ReplayFailuresIT {
    /** Short, so that what a replay kept can be read back; a real run keeps messages out of sight for minutes. */
    private static final int VISIBILITY_SECONDS = 1;
    private static final String DELETION_PROTECTION_ARN =
            "arn:aws:lambda:us-east-1:123456789012:function:ddb-warden-deletion-protection:$LATEST";

    private Harness harness;
    private SqsClient sqs;
    private String queueUrl;

    @BeforeEach
    void setUp() {
        harness = new Harness();
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        queueUrl = sqs.createQueue(r -> r.queueName("ddb-warden-failures")).queueUrl();
    }

    @AfterEach
    void tearDown() {
        sqs.close();
        harness.close();
    }

    @Test
    void replay_shouldFixWhatFailed_deleteWhatSucceeded_andKeepTheGarbage() throws Exception {
        // GIVEN two tables an event should have fixed, and a failure queue holding both kinds of message and garbage
        harness.estate.createTable("orders", false);
        harness.estate.createTable("payments", false);
        sendFailures();

        // WHEN the queue is replayed
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ReplayFailures.Summary summary = replayer(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .replay(queueUrl, 100);

        // THEN both tables are fixed and alerted, the two good messages are gone, the garbage stays
        assertThat(summary.line()).isEqualTo("replayed 2, failed 0, unroutable 1");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isTrue();
        assertThat(harness.estate.describe("payments").deletionProtectionEnabled()).isTrue();
        // The dead-lettered CreateTable reaches point-in-time recovery too, which reports the new table (notify).
        assertThat(rules(harness.estate.drainAlerts()))
                .containsExactlyInAnyOrder("deletion-protection", "deletion-protection", "point-in-time-recovery");
        assertThat(bodiesLeft()).containsExactly("this is not an event {");
        String report = printed.toString(StandardCharsets.UTF_8);
        assertThat(report.lines()).hasSize(3);
        assertThat(report).contains("EventBridge dead letter (CreateTable").contains("on-failure record of ddb-warden-deletion-protection")
                .contains("DeletionProtectionFunction: MEDIUM FIXED, alert sent").contains("not a JSON object");
    }

    @Test
    void replayingTwice_shouldActOnce() throws Exception {
        harness.estate.createTable("orders", false);
        String event = Project.event("create-table-unprotected.json");
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event));

        ReplayFailures.Summary summary = replayer(quiet()).replay(queueUrl, 100);

        assertThat(summary.line()).isEqualTo("replayed 2, failed 0, unroutable 0");
        assertThat(rules(harness.estate.drainAlerts())).containsExactlyInAnyOrder("deletion-protection", "point-in-time-recovery");
    }

    @Test
    void aFunctionThatThrows_shouldKeepItsMessage_andCountAsFailed() throws Exception {
        // GIVEN an on-failure record for a table whose fix works but whose alert cannot go out (the topic is gone)
        harness.estate.createTable("orders", false);
        String record = destinationRecord(DELETION_PROTECTION_ARN, "create-table-unprotected.json");
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(record));
        harness.estate.sns().deleteTopic(r -> r.topicArn(harness.topicArn));

        ReplayFailures.Summary summary = replayer(quiet()).replay(queueUrl, 100);

        assertThat(summary.line()).isEqualTo("replayed 0, failed 1, unroutable 0");
        assertThat(messagesLeft()).isEqualTo(1);
        // The next run, with the topic back, finishes it: the alert the first one could not send goes out.
        harness.estate.createAlertTopic();
        makeVisible();
        assertThat(replayer(quiet()).replay(queueUrl, 100).line())
                .isEqualTo("replayed 1, failed 0, unroutable 0");
        assertThat(harness.estate.drainAlerts()).hasSize(1);
        assertThat(messagesLeft()).isZero();
    }

    @Test
    void deadLetter_withATargetArn_shouldGoOnlyToThatFunction() throws Exception {
        harness.estate.createTable("orders", false);
        String event = Project.event("create-table-unprotected.json");
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event).messageAttributes(Map.of(
                "TARGET_ARN", MessageAttributeValue.builder().dataType("String")
                        .stringValue("arn:aws:lambda:us-east-1:123456789012:function:warden-prod-region-guard").build())));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        replayer(new PrintStream(printed, true, StandardCharsets.UTF_8)).replay(queueUrl, 100);

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("RegionGuardFunction").doesNotContain("DeletionProtectionFunction");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isFalse();
    }

    @Test
    void functionArns_shouldMapByWhatFollowsTheStackName() throws Exception {
        ReplayFailures replay = replayer(quiet());

        assertThat(replay.functionOf(DELETION_PROTECTION_ARN)).contains("DeletionProtectionFunction");
        assertThat(replay.functionOf("arn:aws:lambda:eu-west-1:111122223333:function:security-prod-public-access"))
                .contains("PublicAccessFunction");
        assertThat(replay.functionOf("arn:aws:lambda:us-east-1:123456789012:function:ddb-warden-region-guard:7"))
                .contains("RegionGuardFunction");
        assertThat(replay.functionOf("arn:aws:lambda:us-east-1:123456789012:function:someone-elses-function")).isEmpty();
    }

    @Test
    void max_shouldBoundTheRun() throws Exception {
        for (int i = 0; i < 5; i++) {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("garbage"));
        }

        ReplayFailures.Summary summary = replayer(quiet()).replay(queueUrl, 3);

        assertThat(summary.unroutable()).isEqualTo(3);
    }

    @Test
    void asAProcess_shouldReplayPrintAndExitZero_whenNothingFailed() throws Exception {
        harness.estate.createTable("orders", false);
        harness.estate.createTable("payments", false);
        sendFailures();

        WardenProcess.Run run = warden(Map.of("ALERT_TOPIC_ARN", harness.topicArn, "LEDGER_TABLE", LocalEstate.LEDGER),
                "replay-failures", "--queue", queueUrl, "--max", "10");

        assertThat(run.status()).as(run.stderr()).isZero();
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3)).isEqualTo("replayed 2, failed 0, unroutable 1");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isTrue();
        assertThat(harness.estate.describe("payments").deletionProtectionEnabled()).isTrue();
        assertThat(rules(harness.estate.drainAlerts()))
                .containsExactlyInAnyOrder("deletion-protection", "deletion-protection", "point-in-time-recovery");
        assertThat(messagesLeft()).isEqualTo(1);
    }

    @Test
    void asAProcess_shouldExitOne_whenAMessageFailed() throws Exception {
        harness.estate.createTable("orders", false);
        String record = destinationRecord(DELETION_PROTECTION_ARN, "create-table-unprotected.json");
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(record));

        // A ledger table that does not exist: the function throws on its first ledger read.
        WardenProcess.Run run = warden(Map.of("LEDGER_TABLE", "no-such-ledger", "ALERT_TOPIC_ARN", harness.topicArn),
                "replay-failures", "--queue", queueUrl);

        assertThat(run.status()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stdout()).contains("failed").endsWith("replayed 0, failed 1, unroutable 0\n");
    }

    @Test
    void withoutTheStacksLedgerAndTopic_shouldRefuseToReplay_andTouchNothing() throws Exception {
        harness.estate.createTable("orders", false);
        sendFailures();

        WardenProcess.Run run = warden(Map.of(), "replay-failures", "--queue", queueUrl);

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("LEDGER_TABLE").contains("ALERT_TOPIC_ARN");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isFalse();
        assertThat(messagesLeft()).isEqualTo(3);
    }

    @Test
    void withoutAQueue_shouldExplainTheUsage() throws Exception {
        WardenProcess.Run run = warden(Map.of(), "replay-failures");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--queue URL").contains("replay-failures");
    }

    private void sendFailures() throws IOException {
        String deadLetter = Project.event("create-table-unprotected.json");
        String record = destinationRecord(DELETION_PROTECTION_ARN, "update-table-protection-off.json");
        for (String body : List.of(deadLetter, record, "this is not an event {")) {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
        }
    }

    /** What Lambda writes to an on-failure destination once its retries are exhausted. */
    static String destinationRecord(String functionArn, String eventFile) throws IOException {
        ObjectNode record = Harness.JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", "2024-05-14T09:15:03.000Z");
        ObjectNode context = record.putObject("requestContext");
        context.put("requestId", "c5a5e8a2-5d4c-4a47-8d0b-6d8b0f6a1e11");
        context.put("functionArn", functionArn);
        context.put("condition", "RetriesExhausted");
        context.put("approximateInvokeCount", 3);
        record.set("requestPayload", Harness.JSON.readTree(Project.event(eventFile)));
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        record.putObject("responsePayload").put("errorMessage", "Unable to execute HTTP request");
        return record.toString();
    }

    /** The rule of each alert. */
    private static List<String> rules(List<JsonNode> alerts) {
        return alerts.stream().map(alert -> alert.at("/MessageAttributes/rule/Value").asText()).toList();
    }

    private ReplayFailures replayer(PrintStream out) throws Exception {
        Map<String, String> shell = Map.of(
                "AWS_REGION", LocalAws.REGION,
                "ALERT_TOPIC_ARN", harness.topicArn,
                "LEDGER_TABLE", LocalEstate.LEDGER);
        return new ReplayFailures(Project.template(), Map.of(), null, shell, Services::create, sqs, out)
                .waitSeconds(0).visibilitySeconds(VISIBILITY_SECONDS);
    }

    private int messagesLeft() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Waits out the short visibility timeout the in-process replays use, so that kept messages are back. */
    private void makeVisible() throws InterruptedException {
        Thread.sleep(VISIBILITY_SECONDS * 1000L + 200);
    }

    /** The bodies of the messages still in the queue, once the replay's visibility timeout has passed. */
    private List<String> bodiesLeft() throws InterruptedException {
        makeVisible();
        List<String> bodies = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0)).messages();
            if (messages.isEmpty()) {
                break;
            }
            messages.forEach(m -> bodies.add(m.body()));
            if (bodies.size() >= messagesLeft()) {
                break;
            }
        }
        return bodies.stream().distinct().toList();
    }

    private WardenProcess.Run warden(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return WardenProcess.run(harness.moto.endpoint(), List.of("REMEDIATION_MODE"), env, Duration.ofSeconds(180), args);
    }

    private static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
