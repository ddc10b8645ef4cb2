package dev.ddbwarden.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.alert.AlertFacts;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRemedy;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.ddbwarden.TestEvents.sample;
import static org.assertj.core.api.Assertions.assertThat;

class AsffTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00.123456Z");
    private static final TableRef ORDERS = TestEvents.table("orders");

    private static Finding unprotected(TableRef table) {
        return new Finding("deletion-protection", Severity.HIGH, table, "deletion protection off",
                "Deletion protection is off on table " + table.name() + ".", new DeletionProtectionRemedy.EnableDeletionProtection());
    }

    private static AlertFacts facts(Finding finding, Outcome outcome) {
        Alert alert = AlertComposer.compose(finding, TestEvents.call(sample("create-table-unprotected.json")), outcome);
        return alert.facts().orElseThrow();
    }

    @Test
    void finding_shouldCarryEveryRequiredAttribute_asAsffDefinesThem_forATableLeftUnfixed() {
        AlertFacts facts = facts(unprotected(ORDERS), new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, "Nothing was changed."));

        ObjectNode finding = Asff.finding(facts, false, NOW);

        assertThat(finding.path("SchemaVersion").asText()).isEqualTo("2018-10-08");
        assertThat(finding.path("Id").asText()).isEqualTo("ddb-warden/deletion-protection/" + ORDERS.arn());
        assertThat(finding.path("ProductArn").asText()).isEqualTo("arn:aws:securityhub:us-east-1:" + TestEvents.ACCOUNT
                + ":product/" + TestEvents.ACCOUNT + "/default");
        assertThat(finding.path("GeneratorId").asText()).isEqualTo("ddb-warden/deletion-protection");
        assertThat(finding.path("AwsAccountId").asText()).isEqualTo(TestEvents.ACCOUNT);
        assertThat(finding.path("Types").get(0).asText()).isEqualTo("Software and Configuration Checks/AWS Security Best Practices");
        assertThat(finding.path("UpdatedAt").asText()).isEqualTo("2026-12-05T12:00:00.123Z");
        assertThat(Instant.parse(finding.path("CreatedAt").asText())).isBeforeOrEqualTo(NOW);
        assertThat(finding.path("Severity").path("Label").asText()).isEqualTo("HIGH");
        assertThat(finding.path("Title").asText()).contains("deletion-protection").contains("orders");
        assertThat(finding.path("Description").asText()).startsWith("Deletion protection is off on table orders.");
        assertThat(finding.path("Remediation").path("Recommendation").path("Text").asText()).isNotBlank();
        JsonNode resource = finding.path("Resources").get(0);
        assertThat(resource.path("Type").asText()).isEqualTo("AwsDynamoDbTable");
        assertThat(resource.path("Id").asText()).isEqualTo(ORDERS.arn());
        assertThat(resource.path("Region").asText()).isEqualTo("us-east-1");
        assertThat(resource.path("Partition").asText()).isEqualTo("aws");
        assertThat(finding.path("Compliance").path("Status").asText()).isEqualTo("FAILED");
        assertThat(finding.path("RecordState").asText()).isEqualTo("ACTIVE");
        assertThat(finding.path("ProductFields").path("ddb-warden/Actor").asText()).contains("alice");
        assertThat(finding.path("Action").path("AwsApiCallAction").path("Api").asText()).isEqualTo("CreateTable");
        assertThat(finding.has("Workflow")).isFalse();
        assertThat(finding.has("WorkflowState")).isFalse();
        assertThat(finding.has("Note")).isFalse();
        assertThat(finding.has("UserDefinedFields")).isFalse();
        assertThat(finding.has("VerificationState")).isFalse();
    }

    @Test
    void finding_shouldBePassedAndArchived_underTheSameId_whenTheFixLanded() {
        Finding finding = unprotected(ORDERS);
        AlertFacts open = facts(finding, new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, "Nothing was changed."));
        AlertFacts fixed = facts(finding, new Outcome(Outcome.Action.FIXED, "Turned deletion protection back on."));

        ObjectNode before = Asff.finding(open, false, NOW);
        ObjectNode after = Asff.finding(fixed, true, NOW.plusSeconds(1));

        assertThat(fixed.resolved()).isTrue();
        assertThat(open.resolved()).isFalse();
        assertThat(after.path("Id").asText()).isEqualTo(before.path("Id").asText());
        assertThat(after.path("Compliance").path("Status").asText()).isEqualTo("PASSED");
        assertThat(after.path("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(after.path("Severity").path("Label").asText()).isEqualTo("INFORMATIONAL");
        assertThat(after.path("ProductFields").path("ddb-warden/Severity").asText()).isEqualTo("HIGH");
        assertThat(after.has("Workflow")).isFalse();
    }

    @Test
    void compliant_shouldUseTheRulesFindingId_forTheSweepsCompliantTable() {
        ObjectNode closed = Asff.compliant("deletion-protection", "DynamoDB table", ORDERS.arn(), "aws", "us-east-1", TestEvents.ACCOUNT, NOW);
        ObjectNode open = Asff.finding(facts(unprotected(ORDERS), new Outcome(Outcome.Action.ALERTED, "x")), false, NOW);

        assertThat(closed.path("Id").asText()).isEqualTo(open.path("Id").asText());
        assertThat(closed.path("ProductArn").asText()).isEqualTo(open.path("ProductArn").asText());
        assertThat(closed.path("Compliance").path("Status").asText()).isEqualTo("PASSED");
        assertThat(closed.path("RecordState").asText()).isEqualTo("ARCHIVED");
    }

    @Test
    void compliant_shouldUseTheRulesFindingId_forAnotherResourceTheSweepFoundCompliant() {
        ResourceRef user = new ResourceRef("IAM user", "batch-loader", "arn:aws:iam::" + TestEvents.ACCOUNT + ":user/batch-loader",
                "us-east-1", TestEvents.ACCOUNT);
        Alert alert = AlertComposer.compose(new ResourceFinding("iam-users", Severity.MEDIUM, user, "IAM user with DynamoDB access",
                "It may write.", "Move it to a role."), TestEvents.call(sample("create-table-unprotected.json")));
        ObjectNode open = Asff.finding(alert.facts().orElseThrow(), false, NOW);

        ObjectNode closed = Asff.compliant("iam-users", "IAM user", user.arn(), "aws", "us-east-1", TestEvents.ACCOUNT, NOW);

        assertThat(closed.path("Id").asText()).isEqualTo(open.path("Id").asText());
        assertThat(closed.path("ProductArn").asText()).isEqualTo(open.path("ProductArn").asText());
        assertThat(closed.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsIamUser");
        assertThat(closed.path("Description").asText()).contains("IAM user batch-loader compliant with rule iam-users");
        assertThat(closed.path("Compliance").path("Status").asText()).isEqualTo("PASSED");
        assertThat(closed.path("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(closed.has("Workflow")).isFalse();
    }

    @Test
    void finding_shouldNameTheRulesOtherResourceTypes() {
        ResourceRef key = new ResourceRef("KMS key", "k1", "arn:aws:kms:us-east-1:" + TestEvents.ACCOUNT + ":key/k1", "us-east-1",
                TestEvents.ACCOUNT);
        Alert alert = AlertComposer.compose(new ResourceFinding("table-key", Severity.CRITICAL, key, "key disabled", "Disabled.",
                "Enable it."), TestEvents.call(sample("create-table-unprotected.json")));

        ObjectNode finding = Asff.finding(alert.facts().orElseThrow(), false, NOW);

        assertThat(finding.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsKmsKey");
        assertThat(finding.path("Id").asText()).isEqualTo("ddb-warden/table-key/arn:aws:kms:us-east-1:" + TestEvents.ACCOUNT + ":key/k1");
        assertThat(Asff.resourceType("DAX cluster")).isEqualTo("Other");
    }

    @Test
    void finding_shouldStayWithinAsffsLimits_andBeKept_whenEveryTextIsHuge() {
        String huge = "x".repeat(300_000);
        AlertFacts facts = new AlertFacts("public-access", Severity.CRITICAL, "DynamoDB table", "arn:aws:dynamodb:us-east-1:"
                + TestEvents.ACCOUNT + ":table/" + huge, huge, TestEvents.ACCOUNT, "us-east-1", "aws", huge, huge, huge, huge,
                "PutResourcePolicy", "dynamodb.amazonaws.com", huge, huge, NOW, false);

        ObjectNode finding = Asff.finding(facts, false, NOW);

        assertThat(Asff.bytes(finding)).isLessThanOrEqualTo(Asff.MAX_FINDING_BYTES);
        assertThat(finding.path("Title").asText()).hasSizeLessThanOrEqualTo(256).endsWith("...");
        assertThat(finding.path("Description").asText()).hasSizeLessThanOrEqualTo(1024);
        assertThat(finding.path("Remediation").path("Recommendation").path("Text").asText()).hasSizeLessThanOrEqualTo(512);
        assertThat(finding.path("Id").asText()).hasSizeLessThanOrEqualTo(512).startsWith("ddb-warden/public-access/sha256/");
        assertThat(finding.path("Compliance").path("Status").asText()).isEqualTo("FAILED");
    }

    @Test
    void bounded_shouldCutTheFreeTexts_whenAFindingIsOver240KB() {
        ObjectNode finding = Asff.compliant("ttl", "DynamoDB table", ORDERS.arn(), "aws", "us-east-1", TestEvents.ACCOUNT, NOW);
        ObjectNode fields = (ObjectNode) finding.path("ProductFields");
        for (int i = 0; i < 300; i++) {
            fields.put("ddb-warden/Extra" + i, "y".repeat(1000));
        }
        assertThat(Asff.bytes(finding)).isGreaterThan(Asff.MAX_FINDING_BYTES);

        ObjectNode bounded = Asff.bounded(finding);

        assertThat(Asff.bytes(bounded)).isLessThanOrEqualTo(Asff.MAX_FINDING_BYTES);
        assertThat(bounded.path("Id").asText()).isEqualTo(Asff.id("ttl", ORDERS.arn()));
    }
}
