package dev.ddbwarden.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.TestPolicies;
import dev.ddbwarden.WatcherEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.watcher.Watched;
import dev.ddbwarden.watcher.Watcher;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.rules.publicaccess.PublicAccessRemedy;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.ddbwarden.watcher.TamperingComposer;

import static dev.ddbwarden.TestEvents.EVENT_ID;
import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerts about events that carry oversized fields, as bench/faults sends them: whatever a field holds, the
 * alert keeps the lines a security engineer acts on, says what it cut, and stays within what SNS takes.
 */
class OversizedAlertTest {
    /** SNS's limit on a message, counted in UTF-8 bytes with its subject and attributes. */
    private static final int SNS_MESSAGE_BYTES = 256 * 1024;
    /** The room an actor's ARN has in an event of EventBridge's 256 KB. */
    private static final String HUGE_ACTOR = "arn:aws:sts::123456789012:assumed-role/developer/" + "x".repeat(250_000);
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final String ORDERS_ARN_LINE = "  Table ARN: arn:aws:dynamodb:us-east-1:123456789012:table/orders\n";
    private static final String EVENT_ID_LINE = "  CloudTrail event ID: " + EVENT_ID + "\n";
    private static final String UNDO = "To exempt or decommission this table\n  Exempt it:";
    private static final String CUT = "\\[\\.\\.\\.cut [0-9,]+ of [0-9,]+ characters\\.\\.\\.]";
    private static final Outcome NOTIFY = new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, "Nothing was changed: notify mode.");

    private static void assertFitsSns(Alert alert) {
        assertThat(alert.subject()).hasSizeLessThan(100).matches("[\\x20-\\x7e]+");
        int attributes = alert.attributes().entrySet().stream()
                .mapToInt(e -> e.getKey().length() + e.getValue().length() + "String".length()).sum();
        assertThat(bytes(alert.body()) + bytes(alert.subject()) + attributes).isLessThanOrEqualTo(SNS_MESSAGE_BYTES);
        assertThat(bytes(alert.body())).as("whole in the ledger, which keeps 70,000 bytes of a text")
                .isLessThanOrEqualTo(Alert.MAX_BODY_BYTES);
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static ApiCall byActor(ObjectNode event, String arn) {
        detail(event).set("userIdentity", TestEvents.tree("{\"type\":\"AssumedRole\",\"arn\":\"" + arn + "\"}"));
        return TestEvents.call(event);
    }

    private static Finding deleted(TableRef table, ApiCall call) {
        return new Finding("deletion-protection", Severity.CRITICAL, table, "table deleted",
                "Table " + table.name() + " was deleted by " + call.actor().describe() + ", who is not an approved principal.",
                new Remedy.AlertOnly("Restore it from its latest backup, then protect it."));
    }

    @Test
    void compose_shouldKeepTableArnEventIdAndUndo_andCutTheActor_whenTheActorsArnFillsTheEvent() {
        // GIVEN a deletion by an actor whose ARN fills what EventBridge allows, quoted in the finding too
        ApiCall call = byActor(event("DeleteTable", "orders"), HUGE_ACTOR);

        // WHEN
        Alert alert = AlertComposer.compose(deleted(ORDERS, call), call,
                new Outcome(Outcome.Action.ALERTED, "Nothing was changed."));

        // THEN
        assertFitsSns(alert);
        assertThat(alert.body())
                .contains(ORDERS_ARN_LINE, EVENT_ID_LINE, UNDO, "  Region: us-east-1\n", "  When: 2024-05-01T12:00:00Z\n",
                        "What ddb-warden did\n  Nothing was changed.\n",
                        "  What to do: Restore it from its latest backup, then protect it.\n")
                .containsPattern("  Actor: arn:aws:sts::123456789012:assumed-role/developer/x+ " + CUT + " x+ \\(AssumedRole\\)\n")
                .containsPattern("was deleted by arn:aws:sts::123456789012:assumed-role/developer/x+ " + CUT);
        assertThat(alert.subject()).isEqualTo("[CRITICAL] ddb-warden deletion-protection: orders (us-east-1) - table deleted");
    }

    @Test
    void compose_shouldKeepTableArnEventIdAndUndo_andCutThePolicy_whenARefusedPolicyIs300KB() {
        // GIVEN a refused PutResourcePolicy whose policy opens the table to everyone in 2,200 statements
        StringBuilder statements = new StringBuilder();
        for (int i = 0; i < 2_200; i++) {
            statements.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"Allow\",")
                    .append("\"Principal\":\"*\",\"Action\":\"dynamodb:*\",\"Resource\":\"").append(ORDERS.arn()).append("\"}");
        }
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
        assertThat(policy.length()).isGreaterThan(300_000);
        ApiCall call = TestEvents.call(TestEvents.refused(TestEvents.putResourcePolicy(ORDERS.arn(), policy, null),
                "AccessDeniedException"));
        Finding finding = new PublicAccessRule().evaluate(call, ORDERS, Optional.empty(), TestPolicies.TRUSTING,
                Instant.parse("2024-05-01T12:00:05Z")).get(0);

        // WHEN
        Alert alert = AlertComposer.compose(finding, call, new Outcome(Outcome.Action.ALERTED, finding.remedy().done()));

        // THEN
        assertFitsSns(alert);
        assertThat(alert.body())
                .startsWith("DynamoDB refused a PutResourcePolicy on " + ORDERS.arn())
                .contains(ORDERS_ARN_LINE, EVENT_ID_LINE, UNDO, "  What to do: Ask " + TestEvents.DEVELOPER_ROLE)
                .contains("\"Sid\":\"S0\"", "\"Sid\":\"S2199\"")
                .containsPattern(CUT);
    }

    @Test
    void compose_shouldBoundTheFindingAndTheSteps_eachOnItsOwn_whenBothQuoteA300KBPolicy() {
        // GIVEN a finding that quotes a policy verbatim, in notify mode, whose steps quote it again
        String policy = "{\"Statement\":[" + "{\"Effect\":\"Allow\",\"Principal\":\"*\"},".repeat(10_000) + "{}]}";
        Finding finding = new Finding("public-access", Severity.CRITICAL, ORDERS, "resource policy open to everyone",
                "The statements taken back, verbatim:\n" + policy,
                new PublicAccessRemedy.RemovePolicyStatements(List.of(new Remedy.PolicyCut(ORDERS.arn(), "7", Optional.of(policy), List.of()))));

        // WHEN
        Alert alert = AlertComposer.compose(finding, TestEvents.call(event("PutResourcePolicy", "orders")), NOTIFY);

        // THEN
        assertFitsSns(alert);
        assertThat(alert.body())
                .startsWith("The statements taken back, verbatim:\n{\"Statement\":[")
                .contains(ORDERS_ARN_LINE, EVENT_ID_LINE, UNDO, "  Nothing was changed: notify mode.\n")
                .contains("  What to do: aws dynamodb put-resource-policy --resource-arn " + ORDERS.arn()
                        + " --expected-revision-id 7 --policy '{\"Statement\":[")
                .containsPattern("(?s)verbatim:.*" + CUT + ".*Severity: CRITICAL.*What to do: .*" + CUT);
    }

    @Test
    void compose_shouldWriteAnAsciiSubjectThatSaysItCut_andKeepTheArn_whenTheTableNameIs255UnicodeCharacters() {
        // GIVEN a table named in 255 three-byte characters (no event can name one; a live state might)
        TableRef table = new TableRef("aws", "us-east-1", TestEvents.ACCOUNT, "表".repeat(255));
        ApiCall call = TestEvents.call(event("DeleteTable", "orders"));

        // WHEN
        Alert alert = AlertComposer.compose(deleted(table, call), call,
                new Outcome(Outcome.Action.ALERTED, "Nothing was changed."));

        // THEN
        assertFitsSns(alert);
        assertThat(alert.subject()).matches("\\[CRITICAL] ddb-warden deletion-protection: \\?{40,}\\.\\.\\. \\(us-east-1\\)");
        assertThat(alert.body()).contains("  Table ARN: " + table.arn() + "\n", EVENT_ID_LINE, UNDO);
    }

    /** The budget holds: with every field at its worst, nothing is left for the whole-body safety net to cut. */
    @Test
    void compose_shouldNeedNoWholeBodyCut_whenEveryQuotedFieldIsOversizedAndMultiByte() {
        // GIVEN every field an event or a finding can fill, each 250,000 three-byte characters
        String huge = "表".repeat(250_000);
        ObjectNode event = event("UpdateTable", "t".repeat(255));
        detail(event).put("sourceIPAddress", huge).put("userAgent", huge);
        detail(event).set("userIdentity", TestEvents.tree("{\"type\":\"" + huge + "\",\"arn\":\"" + huge
                + "\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"" + huge + "\"}}}"));
        ApiCall call = TestEvents.call(event);
        TableRef table = new TableRef("aws-us-gov", "us-gov-west-1", TestEvents.ACCOUNT, "表".repeat(255));
        Finding finding = new Finding("public-access", Severity.CRITICAL, table, huge, huge,
                new Remedy.AlertOnly(huge));

        // WHEN
        Alert alert = AlertComposer.compose(finding, call, new Outcome(Outcome.Action.ALERTED, huge));

        // THEN
        assertFitsSns(alert);
        assertThat(alert.body())
                .contains("  Table ARN: " + table.arn() + "\n", "  CloudTrail event ID: " + EVENT_ID + "\n",
                        "  Call: UpdateTable in us-east-1\n")
                .endsWith("--table-name " + table.arn() + " --region us-gov-west-1 --no-deletion-protection-enabled\n");
        Matcher cut = Pattern.compile("\\[\\.\\.\\.cut [0-9,]+ of ([0-9,]+) characters\\.\\.\\.]").matcher(alert.body());
        int cuts = 0;
        while (cut.find()) {
            cuts++;
            assertThat(Integer.parseInt(cut.group(1).replace(",", ""))).as("a field's own cut, not the whole body's")
                    .isGreaterThanOrEqualTo(250_000);
        }
        assertThat(cuts).as("actor ARN, type and role, source IP, user agent, finding, what was done, steps").isEqualTo(8);
    }

    @Test
    void tampering_shouldKeepResourceEventIdAndUndo_whenTheTrailsNameAndTheActorFillTheEvent() {
        // GIVEN a trail stopped whose name, and whose actor's ARN, are each 125,000 characters
        String trail = "management-" + "n".repeat(125_000);
        ObjectNode event = WatcherEvents.event("cloudtrail", "StopLogging", "{\"name\": \"" + trail + "\"}");
        WatcherEvents.detail(event).set("userIdentity",
                TestEvents.tree("{\"type\":\"AssumedRole\",\"arn\":\"" + HUGE_ACTOR.substring(0, 125_000) + "\"}"));
        ApiCall call = WatcherEvents.call(event);
        Watched watched = new Watched("ddb-warden", "aws", "us-east-1", WatcherEvents.DEPLOYER_ROLE);

        // WHEN
        Alert alert = TamperingComposer.compose(Watcher.classify(call, watched).orElseThrow(), call);

        // THEN
        assertFitsSns(alert);
        assertThat(alert.subject()).startsWith("[CRITICAL] ddb-warden watcher: trail management-nnn").endsWith(" (us-east-1)");
        assertThat(alert.body())
                .containsPattern("  Resource: management-n+ " + CUT + " n+\n")
                .contains("  CloudTrail event ID: " + WatcherEvents.EVENT_ID + "\n")
                .containsPattern("How to undo\n  aws cloudtrail start-logging --name management-n+ " + CUT + " n+")
                .containsPattern("  Actor: arn:aws:sts::123456789012:assumed-role/developer/x+ " + CUT + " x+ \\(AssumedRole\\)\n");
    }

    @Test
    void sweepSummary_shouldBoundTheSweepIdAndEachRow_andKeepItsTotals() {
        String hostile = "sweep-" + "\n  Failed: 0".repeat(30_000);

        Alert alert = SweepSummary.compose(hostile, Map.of("seen", 3, "findings", 1, "failed", 2,
                "public-access:us-east-1:" + "x".repeat(300_000), 1), false, TestEvents.ACCOUNT, "us-east-1");

        assertFitsSns(alert);
        assertThat(alert.subject()).isEqualTo("[MEDIUM] ddb-warden sweep: 3 tables, 0 fixed, 2 failed");
        assertThat(alert.body()).contains("\n  Failed: 2\n").doesNotContainPattern("(?m)^  Failed: 0")
                .containsPattern("  public-access  us-east-1  x+ " + CUT + " x+  1\n");
    }

    /** Whatever a composer wrote, or a ledger handed back, what reaches SNS is what SNS accepts. */
    @Test
    void alert_shouldHoldOnlyWhatSnsAccepts_asASafetyNet() {
        Alert alert = new Alert("[HIGH] ddb-warden rule: ördérs\n" + "x".repeat(200), "é".repeat(200_000),
                Map.of("rule", "rule"));

        assertFitsSns(alert);
        assertThat(alert.subject()).startsWith("[HIGH] ddb-warden rule: ?rd?rs?xxx").endsWith("...").hasSize(99);
        assertThat(alert.body()).startsWith("ééé").endsWith("ééé").containsPattern(CUT);
    }
}
