package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./warden deliver} as a security engineer runs it on a record copied from a trail: a process, pointed
 * at moto_server by the SDK's standard variables, the functions chosen by template.yaml's patterns.
 */
class DeliverProcessIT {
    private Harness harness;

    @BeforeEach
    void setUp() {
        harness = new Harness();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void bareCloudTrailRecord_shouldReachEveryMatchingFunction_andFixTheTable(@TempDir Path dir) throws Exception {
        harness.estate.createTable("orders", false);
        Path record = dir.resolve("record.json");
        Files.writeString(record, Harness.JSON.readTree(Project.event("create-table-unprotected.json")).get("detail").toString());
        Path envVars = dir.resolve("env.json");
        Files.writeString(envVars, "{\"Parameters\": {\"LEDGER_TABLE\": \"" + LocalEstate.LEDGER + "\", \"ALERT_TOPIC_ARN\": \""
                + harness.topicArn + "\"}}");

        WardenProcess.Run run = warden("deliver", "-e", record.toString(), "--env-vars", envVars.toString(),
                "--parameter-overrides", "AllowedRegions=" + LocalAws.REGION);

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .contains("CreateTable 5235bf01-2899-4e1d-a14f-99002a60e0c2 (CloudTrail record; source aws.dynamodb")
                .contains("Matched 6 rules:")
                .contains("DeletionProtectionFunction  rule ddb-warden-deletion-protection")
                .contains("RegionGuardFunction  rule ddb-warden-")
                .contains("PointInTimeRecoveryFunction  rule ddb-warden-point-in-time-recovery")
                .contains("EncryptionFunction  rule ddb-warden-encryption")
                .contains("TableTagsFunction  rule ddb-warden-tags")
                .contains("deletion-protection on arn:aws:dynamodb:us-east-1:123456789012:table/orders: MEDIUM FIXED, alert sent")
                .contains("region-guard on arn:aws:dynamodb:us-east-1:123456789012:table/orders: COMPLIANT")
                .contains("point-in-time-recovery on arn:aws:dynamodb:us-east-1:123456789012:table/orders: LOW ALERTED")
                .contains("encryption on arn:aws:dynamodb:us-east-1:123456789012:table/orders: COMPLIANT")
                .contains("tags on arn:aws:dynamodb:us-east-1:123456789012:table/orders: COMPLIANT")
                .contains("PrivateNetworkFunction  rule ddb-warden-private-network")
                .contains("private-network on arn:aws:dynamodb:us-east-1:123456789012:table/orders: COMPLIANT")
                .endsWith("Delivered to 6 functions: 6 returned, 0 failed\n");
        assertThat(run.stdout().lines().filter(line -> line.startsWith("  result: {")).count()).isEqualTo(6);
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isTrue();
        assertThat(harness.estate.ledgerItems()).hasSize(6);
        List<JsonNode> alerts = harness.estate.drainAlerts();
        // deletion protection's fix, and point-in-time recovery's report of a new table without it (notify)
        assertThat(alerts).hasSize(2);
        assertThat(run.stderr()).contains("REPORT Init Duration");
    }

    @Test
    void eventNoRuleMatches_shouldExitZero_namingTheClosestPattern() throws Exception {
        WardenProcess.Run run = warden("deliver", "-e", Project.EVENTS.resolve("create-table-failed.json").toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("No rule matched")
                .contains("Closest: ")
                .contains("detail.errorCode must be [{\"exists\":false}]; the event has \"ResourceInUseException\"")
                .doesNotContain("Delivered to");
    }

    @Test
    void functionThatFails_shouldMakeTheExitStatusNonZero() throws Exception {
        WardenProcess.Run run = WardenProcess.run(harness.moto.endpoint(), List.of("REMEDIATION_MODE"),
                Map.of("REMEDIATION_MODE", "fix-everything"), Duration.ofSeconds(180),
                "deliver", "-e", Project.EVENTS.resolve("backup-restore-completed.json").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stdout()).contains("(EventBridge event; source aws.backup")
                .contains("DeletionProtectionFunction: FAILED (exit status 1")
                .endsWith("5 functions: 0 returned, 5 failed\n");
        assertThat(run.stderr()).contains("REMEDIATION_MODE");
    }

    @Test
    void unreadableEvent_shouldExitNonZero_withTheReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("two.json");
        String record = Harness.JSON.readTree(Project.event("delete-table.json")).get("detail").toString();
        Files.writeString(file, "{\"Records\": [" + record + "," + record + "]}");

        WardenProcess.Run run = warden("deliver", "-e", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr()).contains("holds no event to deliver: Records holds 2 entries");
        assertThat(run.stdout()).isEmpty();
    }

    private WardenProcess.Run warden(String... args) throws IOException, InterruptedException {
        return WardenProcess.run(harness.moto.endpoint(), List.of("REMEDIATION_MODE"), Map.of(), Duration.ofSeconds(180), args);
    }
}
