package dev.ddbwarden.local;

import dev.ddbwarden.handler.WardenHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real WardenHandler against moto_server on loopback, through the SDK's wire protocol:
 * tables, the ledger, and SNS delivering alerts to an SQS inbox. moto keeps no table in CREATING, so
 * waiting and re-checks are covered with mocked clients in the functions module's PipelineTest. moto has
 * no CloudTrail LookupEvents: {@link LocalTrail} serves it on loopback, holding the records a test gives it,
 * and the handler's real CloudTrail client asks it over CloudTrail's own protocol.
 */
class DeletionProtectionIT {
    private static final String APPROVED = "arn:aws:iam::123456789012:role/dba-decommission";
    private Harness harness;
    private LocalTrail trail;

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(new DeletionProtectionRule(),
                "dynamodb:DescribeTable", "dynamodb:UpdateTable", "sns:Publish", "dynamodb:PutItem",
                "cloudtrail:LookupEvents", "dynamodb:GetResourcePolicy");
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = new Harness();
        trail = LocalTrail.start();
        trail.pointAt();
    }

    @AfterEach
    void tearDown() {
        trail.close();
        harness.close();
    }

    /** The COMPLETED restore job of AWS Backup names the table it made; the live table decides, as for any call. */
    @Test
    void awsBackupRestore_shouldTurnProtectionOnTheCreatedTable_underTheJobsId() throws Exception {
        harness.estate.createTable("payments-restored", false);

        JsonNode result = Harness.invoke(harness.handler(Map.of()), Project.event("backup-restore-completed.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.describe("payments-restored").deletionProtectionEnabled()).isTrue();
        assertThat(harness.estate.ledgerItems()).singleElement().satisfies(entry ->
                assertThat(entry.get("eventId").s()).isEqualTo("backup-restore-8F1E3C5A-2B4D-4E6F-9A0B-1C2D3E4F5A61"));
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> assertThat(alert.path("Message").asText())
                .contains("after BackupRestoreJobCompleted").contains("Actor: backup.amazonaws.com (AWSService)"));
    }

    /** A job still running has made no table yet; EventBridge does not even route it, and the handler drops it. */
    @Test
    void awsBackupRestoreStillRunning_shouldChangeNothing() throws Exception {
        harness.estate.createTable("payments-restored", false);

        JsonNode result = Harness.invoke(harness.handler(Map.of()), Project.event("backup-restore-running.json"));

        assertThat(result.path("results").size()).isZero();
        assertThat(harness.estate.describe("payments-restored").deletionProtectionEnabled()).isFalse();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    /** CloudTrail holds the record of each sample, as it would of every call these events stand for. */
    private void recorded(String... files) throws Exception {
        for (String file : files) {
            trail.record(Project.event(file));
        }
    }

    @Test
    void createTable_shouldTurnProtectionOn_recordTheLedgerAndAlert() throws Exception {
        // GIVEN an unprotected table, as CreateTable leaves it
        harness.estate.createTable("orders", false);

        // WHEN the CreateTable event arrives
        JsonNode result = Harness.invoke(harness.handler(Map.of()), Project.event("create-table-unprotected.json"));

        // THEN the table is protected, the ledger holds the decision, and one alert reached the inbox
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isTrue();
        List<Map<String, AttributeValue>> ledger = harness.estate.ledgerItems();
        assertThat(ledger).hasSize(1);
        Map<String, AttributeValue> entry = ledger.get(0);
        assertThat(entry.get("eventId").s()).isEqualTo("5235bf01-2899-4e1d-a14f-99002a60e0c2");
        assertThat(entry.get("action").s()).isEqualTo("FIXED");
        assertThat(entry.get("alertStatus").s()).isEqualTo("SENT");
        assertThat(entry.get("stateBefore").s()).contains("\"deletionProtectionEnabled\":false");
        assertThat(entry.get("stateAfter").s()).contains("\"deletionProtectionEnabled\":true");

        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.path("Subject").asText()).startsWith("[MEDIUM]").contains("orders").contains("us-east-1");
        assertThat(alert.path("Message").asText())
                .contains("Turned deletion protection on")
                .contains("arn:aws:sts::123456789012:assumed-role/developer/alice")
                .contains("203.0.113.10");
        assertThat(alert.at("/MessageAttributes/severity/Value").asText()).isEqualTo("MEDIUM");
        assertThat(alert.at("/MessageAttributes/rule/Value").asText()).isEqualTo("deletion-protection");
        assertThat(alert.at("/MessageAttributes/account/Value").asText()).isEqualTo("123456789012");
        assertThat(alert.at("/MessageAttributes/region/Value").asText()).isEqualTo("us-east-1");
    }

    @Test
    void notifyMode_shouldChangeNothing_butStillAlert() throws Exception {
        harness.estate.createTable("payments", false);

        JsonNode result = Harness.invoke(harness.handler(Map.of("REMEDIATION_MODE", "notify")),
                Project.event("update-table-protection-off.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        assertThat(harness.estate.describe("payments").deletionProtectionEnabled()).isFalse();
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("Message").asText()).contains("notify mode").contains("--deletion-protection-enabled");
    }

    @Test
    void exemptTable_shouldBeLeftAlone_withoutAlert() throws Exception {
        harness.estate.createTable("orders", false);

        JsonNode result = Harness.invoke(harness.handler(Map.of("EXEMPT_TABLES", "scratch-*, ord*")),
                Project.event("create-table-unprotected.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("SKIPPED_EXEMPT");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isFalse();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @ParameterizedTest(name = "{0} fixes {1}")
    @CsvSource({
            "create-table-by-arn.json, invoices",
            "update-table-no-table-name.json, customers",
            "update-table-resources-only.json, sessions",
            "restore-table-to-point-in-time.json, orders-restored",
            "restore-table-from-backup.json, payments-restored",
            "import-table.json, imported-orders",
            "create-table-root.json, audit-log"})
    void tableNamedAnyWay_shouldBeFound_andFixed(String file, String table) throws Exception {
        harness.estate.createTable(table, false);

        JsonNode result = Harness.invoke(harness.handler(Map.of()), Project.event(file));

        assertThat(result.at("/results/0/table").asText()).endsWith(":table/" + table);
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.describe(table).deletionProtectionEnabled()).isTrue();
    }

    @Test
    void approvedDecommission_shouldStand_taggedWithAnExpiry() throws Exception {
        harness.estate.createTable("legacy-sessions", false);
        recorded("update-table-approved-decommission.json");
        Instant before = Instant.now();

        JsonNode result = Harness.invoke(harness.handler(Map.of("APPROVED_PRINCIPALS", APPROVED)),
                Project.event("update-table-approved-decommission.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("TAGGED");
        assertThat(harness.estate.describe("legacy-sessions").deletionProtectionEnabled()).isFalse();
        Instant until = Instant.parse(harness.estate.tags("legacy-sessions").get("ddb-warden:decommission"));
        assertThat(until).isBetween(before.plusSeconds(24 * 3600 - 5), Instant.now().plusSeconds(24 * 3600 + 5));
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("Subject").asText()).startsWith("[LOW]");
        assertThat(alerts.get(0).path("Message").asText()).contains(APPROVED);
    }

    @Test
    void decommissionedTable_shouldBeLeftAlone_byLaterEvents() throws Exception {
        harness.estate.createTable("legacy-sessions", false);
        recorded("update-table-approved-decommission.json");
        WardenHandler handler = harness.handler(Map.of("APPROVED_PRINCIPALS", APPROVED));
        Harness.invoke(handler, Project.event("update-table-approved-decommission.json"));
        harness.estate.drainAlerts();

        // A later unprotecting call by someone else on the table being decommissioned
        String later = Project.event("update-table-protection-off.json").replace("payments", "legacy-sessions");
        JsonNode result = Harness.invoke(handler, later);

        assertThat(result.at("/results/0/action").asText()).isEqualTo("SKIPPED_DECOMMISSIONING");
        assertThat(harness.estate.describe("legacy-sessions").deletionProtectionEnabled()).isFalse();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void forgedDecommission_shouldAlertCritical_andProtectTheTable() throws Exception {
        harness.estate.createTable("billing-archive", false);
        recorded("update-table-protection-off.json");

        JsonNode result = Harness.invoke(harness.handler(Map.of("APPROVED_PRINCIPALS", APPROVED)),
                Project.event("update-table-forged-decommission.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.describe("billing-archive").deletionProtectionEnabled()).isTrue();
        assertThat(harness.estate.tags("billing-archive")).doesNotContainKey("ddb-warden:decommission");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).extracting(a -> a.path("Subject").asText()).containsExactly(
                "[CRITICAL] ddb-warden deletion-protection: billing-archive (us-east-1) - forged event",
                "[MEDIUM] ddb-warden deletion-protection: billing-archive (us-east-1) - deletion protection off");
        assertThat(alerts.get(0).path("Message").asText()).contains("assumed-role/developer/alice")
                .contains("table/payments");
    }

    /** moto has no LookupEvents and neither has CloudTrail a record yet: with no re-check queue, fail closed. */
    @Test
    void approvedDecommission_shouldNotStand_whenCloudTrailHasNoRecordOfIt() throws Exception {
        harness.estate.createTable("legacy-sessions", false);

        JsonNode result = Harness.invoke(harness.handler(Map.of("APPROVED_PRINCIPALS", APPROVED)),
                Project.event("update-table-approved-decommission.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.describe("legacy-sessions").deletionProtectionEnabled()).isTrue();
    }

    @Test
    void approvedDecommission_shouldStandUnconfirmed_whenVerificationIsOff() throws Exception {
        harness.estate.createTable("legacy-sessions", false);

        JsonNode result = Harness.invoke(harness.handler(Map.of("APPROVED_PRINCIPALS", APPROVED, "VERIFY_ACTORS", "false")),
                Project.event("update-table-approved-decommission.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("TAGGED");
    }

    /** A tag written by hand exempts nothing: ignored, fixed, and reported once however often it is met. */
    @Test
    void decommissionTagSetByHand_shouldBeIgnored_andAlertedOnce() throws Exception {
        harness.estate.createTable("payments", false);
        String arn = harness.estate.describe("payments").tableArn();
        harness.estate.dynamo().tagResource(r -> r.resourceArn(arn).tags(t -> t.key("ddb-warden:decommission")
                .value(Instant.now().plusSeconds(3600).toString())));
        WardenHandler handler = harness.handler(Map.of());

        Harness.invoke(handler, Project.event("update-table-protection-off.json"));
        harness.estate.dynamo().updateTable(r -> r.tableName("payments").deletionProtectionEnabled(false));
        JsonNode again = Harness.invoke(handler, Project.event("update-table-protection-off.json")
                .replace("cde38fa9-d1e6-46cf-ac93-dd2d90b22ad4", "a-later-event"));

        assertThat(again.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.drainAlerts()).extracting(a -> a.path("Subject").asText())
                .filteredOn(s -> s.contains("exemption tag ignored")).hasSize(1);
    }

    /** The TagResource that wrote a ddb-warden tag by hand is routed here: the alert names who set it, and when. */
    @Test
    void decommissionTagSetByHand_shouldBeAlertedWithWhoSetItAndWhen() throws Exception {
        harness.estate.createTable("payments", false);
        String arn = harness.estate.describe("payments").tableArn();
        harness.estate.dynamo().tagResource(r -> r.resourceArn(arn).tags(t -> t.key("ddb-warden:decommission")
                .value("2099-01-01T00:00:00Z")));

        JsonNode result = Harness.invoke(harness.handler(Map.of()), Project.event("tag-resource-decommission-by-hand.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.drainAlerts()).filteredOn(a -> a.path("Subject").asText().contains("exemption tag ignored"))
                .singleElement().satisfies(a -> assertThat(a.path("Message").asText())
                        .contains("ddb-warden:decommission=2099-01-01T00:00:00Z")
                        .contains("Actor: arn:aws:sts::123456789012:assumed-role/developer/alice")
                        .contains("When: 2024-05-14T10:02:11Z")
                        .contains("Call: TagResource in us-east-1"));
    }

    /** A quarantine tag counts only beside ddb-warden's statement in the live policy and its ledger's decision. */
    @Test
    void quarantineTagSetByHand_shouldBeIgnored_andAlertedOnce() throws Exception {
        harness.estate.createTable("payments", false);
        String arn = harness.estate.describe("payments").tableArn();
        harness.estate.dynamo().tagResource(r -> r.resourceArn(arn).tags(t -> t.key("ddb-warden:quarantine").value("leave me")));

        JsonNode result = Harness.invoke(harness.handler(Map.of()), Project.event("update-table-protection-off.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.drainAlerts()).extracting(a -> a.path("Subject").asText())
                .contains("[HIGH] ddb-warden deletion-protection: payments (us-east-1) - exemption tag ignored");
    }

    @Test
    void deleteTable_byAnyoneElse_shouldAlertCritical_withTheActor() throws Exception {
        JsonNode result = Harness.invoke(harness.handler(Map.of("APPROVED_PRINCIPALS", APPROVED)),
                Project.event("delete-table.json"));

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("Subject").asText()).startsWith("[CRITICAL]").contains("payments");
        assertThat(alerts.get(0).path("Message").asText())
                .contains("arn:aws:sts::123456789012:assumed-role/developer/alice")
                .contains("service control policy");
    }

    @Test
    void deleteTable_byAnApprovedPrincipal_shouldAlertLow() throws Exception {
        recorded("delete-table-approved.json");
        JsonNode result = Harness.invoke(harness.handler(Map.of("APPROVED_PRINCIPALS", APPROVED)),
                Project.event("delete-table-approved.json"));

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("LOW");
        assertThat(harness.estate.drainAlerts()).extracting(a -> a.path("Subject").asText())
                .singleElement().asString().startsWith("[LOW]");
    }

    @Test
    void malformedEvent_shouldBeDropped_withAReason_andNoCall() throws Exception {
        int callsBefore = RecordingInterceptor.calls().size();

        JsonNode result = Harness.invoke(harness.handler(Map.of()), "{\"detail-type\": \"AWS API Call via CloudTrail\", \"detail\": 7}");

        assertThat(result.path("ignored").asText()).contains("detail");
        assertThat(RecordingInterceptor.calls()).hasSize(callsBefore);
    }

    @Test
    void sameEventTwice_shouldFixOnce_andAlertOnce() throws Exception {
        harness.estate.createTable("orders", false);
        WardenHandler handler = harness.handler(Map.of());
        int callsBefore = RecordingInterceptor.calls().size();

        Harness.invoke(handler, Project.event("create-table-unprotected.json"));
        // Someone turns protection off again between the deliveries: the replay must still do nothing.
        harness.estate.dynamo().updateTable(r -> r.tableName("orders").deletionProtectionEnabled(false));
        JsonNode second = Harness.invoke(handler, Project.event("create-table-unprotected.json"));

        assertThat(second.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        List<String> calls = RecordingInterceptor.calls().subList(callsBefore, RecordingInterceptor.calls().size());
        assertThat(calls).filteredOn("dynamodb:UpdateTable"::equals).hasSize(1);
        assertThat(calls).filteredOn("sns:Publish"::equals).hasSize(1);
        assertThat(harness.estate.drainAlerts()).hasSize(1);
    }

    @Test
    void publishFailingOnce_shouldKeepTheFix_andSendTheAlertOnRetry() throws Exception {
        // GIVEN a topic that is gone when the first attempt publishes
        harness.estate.createTable("orders", false);
        WardenHandler handler = harness.handler(Map.of());
        harness.estate.sns().deleteTopic(r -> r.topicArn(harness.topicArn));

        // WHEN the first attempt runs, THEN it fails (so Lambda retries) with the fix standing
        assertThatThrownBy(() -> Harness.invoke(handler, Project.event("create-table-unprotected.json")))
                .isInstanceOf(software.amazon.awssdk.services.sns.model.SnsException.class);
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isTrue();
        assertThat(harness.estate.ledgerItems().get(0).get("alertStatus").s()).isEqualTo("PENDING");

        // WHEN the topic is back and Lambda retries, THEN the pending alert goes out, once
        harness.estate.createAlertTopic();
        JsonNode retry = Harness.invoke(handler, Project.event("create-table-unprotected.json"));

        assertThat(retry.at("/results/0/alert").asText()).isEqualTo("sent");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("Message").asText()).contains("Turned deletion protection on");
        assertThat(harness.estate.ledgerItems().get(0).get("alertStatus").s()).isEqualTo("SENT");
    }

    @Test
    void protectedTable_shouldGetNoAlert() throws Exception {
        harness.estate.createTable("ledger-like", true);

        JsonNode result = Harness.invoke(harness.handler(Map.of()), Project.event("create-table-protected.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void tableInAnotherAccount_shouldBeSkipped() throws Exception {
        JsonNode result = Harness.invoke(harness.handler(Map.of()), Project.event("create-table-other-account.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("SKIPPED_OTHER_ACCOUNT");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }
}
