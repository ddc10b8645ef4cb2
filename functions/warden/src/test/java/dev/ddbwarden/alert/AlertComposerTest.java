package dev.ddbwarden.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRemedy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.sample;
import static dev.ddbwarden.TestEvents.tree;
import static org.assertj.core.api.Assertions.assertThat;

class AlertComposerTest {
    /** CreateTable of orders by the developer role's session alice, as events/ has it. */
    private static final String CREATE_TABLE = "create-table-unprotected.json";
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final Outcome FIXED = new Outcome(Outcome.Action.FIXED, new DeletionProtectionRemedy.EnableDeletionProtection().done());

    private static Finding unprotected(TableRef table) {
        return new Finding("deletion-protection", Severity.MEDIUM, table, "deletion protection off",
                "Deletion protection is off on table " + table.name() + ".", new DeletionProtectionRemedy.EnableDeletionProtection());
    }

    @Test
    void compose_shouldWriteFullSubject_whenTableNameIsShort() {
        Alert alert = AlertComposer.compose(unprotected(ORDERS), TestEvents.call(sample(CREATE_TABLE)), FIXED);

        assertThat(alert.subject())
                .isEqualTo("[MEDIUM] ddb-warden deletion-protection: orders (us-east-1) - deletion protection off");
    }

    @Test
    void compose_shouldKeepSubjectUnder100Characters_whenTableNameIs255Characters() {
        // GIVEN the longest table name DynamoDB allows, in a long region name
        TableRef table = new TableRef("aws-us-gov", "us-gov-west-1", TestEvents.ACCOUNT, "t".repeat(255));
        Finding finding = new Finding("deletion-protection", Severity.CRITICAL, table, "table deleted", "Deleted.",
                new Remedy.AlertOnly("Restore it."));

        // WHEN
        Alert alert = AlertComposer.compose(finding, TestEvents.call(sample("delete-table.json")),
                new Outcome(Outcome.Action.ALERTED, "Nothing was changed."));

        // THEN
        assertThat(alert.subject()).hasSizeLessThan(100)
                .startsWith("[CRITICAL] ddb-warden deletion-protection: ttt")
                .endsWith(" (us-gov-west-1)")
                .doesNotContain("t".repeat(60));
    }

    @Test
    void compose_shouldShortenTheTitle_beforeTheTableName() {
        TableRef table = new TableRef("aws", "ap-southeast-2", TestEvents.ACCOUNT, "partner-feed-" + "x".repeat(10));
        Finding finding = new Finding("public-access", Severity.HIGH, table,
                "resource policy open to an untrusted account", "Leaks.", new Remedy.AlertOnly("Look."));

        Alert alert = AlertComposer.compose(finding, TestEvents.call(sample("put-resource-policy-public.json")),
                new Outcome(Outcome.Action.ALERTED, "Nothing was changed."));

        assertThat(alert.subject()).hasSizeLessThan(100)
                .startsWith("[HIGH] ddb-warden public-access: " + table.name() + " (ap-southeast-2) - resource policy")
                .endsWith("...")
                .matches("\\p{ASCII}+");
    }

    /** A published CloudTrail sample writes its offset as +0000: the alert must not say 1970. */
    @Test
    void compose_shouldWriteWhenInUtc_whenTheRecordsOffsetHasNoColon() {
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("eventTime", "2017-10-10T23:01:45+0000");

        String body = AlertComposer.compose(unprotected(ORDERS), TestEvents.call(event), FIXED).body();

        assertThat(body).contains("  When: 2017-10-10T23:01:45Z\n").doesNotContain("1970");
    }

    @Test
    void compose_shouldSayWhenIsUnknown_whenNeitherRecordNorEnvelopeNamesATime() {
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("eventTime", "soon");
        event.remove("time");

        String body = AlertComposer.compose(unprotected(ORDERS), TestEvents.call(event), FIXED).body();

        assertThat(body).contains("  When: unknown\n").doesNotContain("1970");
    }

    @Test
    void compose_shouldSetFilterAttributes_fromFindingAndTable() {
        TableRef table = new TableRef("aws", "eu-west-1", "210987654321", "orders");

        Alert alert = AlertComposer.compose(unprotected(table), TestEvents.call(sample(CREATE_TABLE)), FIXED);

        assertThat(alert.attributes()).isEqualTo(Map.of("severity", "MEDIUM", "rule", "deletion-protection",
                "account", "210987654321", "region", "eu-west-1"));
    }

    @Test
    void compose_shouldTellWhoWhereAndWhat_inBody() {
        // GIVEN
        ApiCall call = TestEvents.call(sample(CREATE_TABLE));

        // WHEN
        String body = AlertComposer.compose(unprotected(ORDERS), call, FIXED).body();

        // THEN
        assertThat(body)
                .startsWith("Deletion protection is off on table orders.\n")
                .contains("  Table ARN: arn:aws:dynamodb:us-east-1:123456789012:table/orders\n")
                .contains("  Actor: arn:aws:sts::123456789012:assumed-role/developer/alice (AssumedRole of "
                        + "arn:aws:iam::123456789012:role/developer)\n")
                .contains("  Source IP: 203.0.113.10\n")
                .contains("  User agent: aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 command/dynamodb.create-table\n")
                .contains("  When: 2024-05-14T09:12:03Z\n")
                .contains("  Call: CreateTable in us-east-1\n")
                .contains("  CloudTrail event ID: 5235bf01-2899-4e1d-a14f-99002a60e0c2\n")
                .contains("What ddb-warden did\n  Turned deletion protection on (UpdateTable DeletionProtectionEnabled=true).\n")
                .doesNotContain("What to do:");
    }

    @Test
    void compose_shouldGiveManualStep_whenNotifyModeLeftTableUnprotected() {
        Outcome notify = new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, "Nothing was changed: notify mode.");

        String body = AlertComposer.compose(unprotected(ORDERS), TestEvents.call(sample(CREATE_TABLE)), notify)
                .body();

        assertThat(body).contains("  Nothing was changed: notify mode.\n")
                .contains("  What to do: aws dynamodb update-table --region us-east-1 --table-name "
                        + "arn:aws:dynamodb:us-east-1:123456789012:table/orders --deletion-protection-enabled\n");
    }

    @Test
    void compose_shouldGiveManualStep_whenWardenGaveUp() {
        Outcome gaveUp = new Outcome(Outcome.Action.GAVE_UP, "The table was still CREATING.");

        String body = AlertComposer.compose(unprotected(ORDERS), TestEvents.call(sample(CREATE_TABLE)), gaveUp)
                .body();

        assertThat(body).contains("What to do: aws dynamodb update-table").contains("--deletion-protection-enabled");
    }

    @Test
    void compose_shouldRenderRootWithoutNull_whenActorHasNoSession() {
        // GIVEN a root call with no user agent recorded
        ObjectNode event = sample("create-table-root.json");
        detail(event).remove("userAgent");

        // WHEN
        String body = AlertComposer.compose(unprotected(ORDERS), TestEvents.call(event), FIXED).body();

        // THEN
        assertThat(body).contains("  Actor: arn:aws:iam::123456789012:root (Root)\n")
                .contains("  User agent: (not recorded)\n")
                .doesNotContainIgnoringCase("null");
    }

    @Test
    void compose_shouldRenderServiceWithoutNull_whenActorHasNoArn() {
        ObjectNode event = event("RestoreTableFromBackup", "orders");
        detail(event).set("userIdentity", tree("{\"type\":\"AWSService\",\"invokedBy\":\"backup.amazonaws.com\"}"));
        detail(event).put("sourceIPAddress", "backup.amazonaws.com").remove("userAgent");

        String body = AlertComposer.compose(unprotected(ORDERS), TestEvents.call(event), FIXED).body();

        assertThat(body).contains("  Actor: backup.amazonaws.com (AWSService)\n")
                .contains("  Source IP: backup.amazonaws.com\n")
                .doesNotContainIgnoringCase("null");
    }

    /** The planned alert is reused for a fix that went as planned: sameAlert must hold only where compose agrees. */
    @Test
    void sameAlert_holdsExactlyWhenComposeWritesTheSameAlert() {
        Finding finding = unprotected(ORDERS);
        ApiCall call = TestEvents.call(sample(CREATE_TABLE));
        Outcome withState = new Outcome(FIXED.action(), FIXED.description(),
                Optional.of(new TableState(ORDERS, "UPDATING", Map.of())));
        Outcome otherText = new Outcome(Outcome.Action.FIXED, FIXED.description() + " Twice.");
        Outcome otherAction = new Outcome(Outcome.Action.ALERTED, FIXED.description());

        assertThat(AlertComposer.sameAlert(FIXED, withState)).isTrue();
        assertThat(AlertComposer.compose(finding, call, withState)).isEqualTo(AlertComposer.compose(finding, call, FIXED));
        for (Outcome other : List.of(otherText, otherAction)) {
            assertThat(AlertComposer.sameAlert(FIXED, other)).as(other.toString()).isFalse();
            assertThat(AlertComposer.compose(finding, call, other)).as(other.toString())
                    .isNotEqualTo(AlertComposer.compose(finding, call, FIXED));
        }
    }
}
