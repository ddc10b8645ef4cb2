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
 * Issue 18: a member account's risky call, delivered to the security account's functions by {@code ./warden deliver},
 * is fixed in the member account through the member role (MemberRoleName), while the ledger and the alerts stay the
 * security account's and name the member account. moto_server gives each assumed role's account its own tables, so a
 * same-named table of the security account shows which account was acted in; moto evaluates no trust policy (the
 * member role's trust is held by the IAM simulator, not here).
 */
class OrganizationDeliverIT {
    private static final String MEMBER = "222222222222";
    private static final String ROLE = "ddb-warden-remediator";
    private Harness harness;
    private LocalEstate member;

    @BeforeEach
    void setUp() {
        harness = new Harness();
        member = harness.estate.inAccount(MEMBER, ROLE);
        member.createTable("orders", false);
        harness.estate.createTable("orders", false);
    }

    @AfterEach
    void tearDown() {
        member.close();
        harness.close();
    }

    @Test
    void membersCreateTable_shouldBeFixedInTheMemberAccount_throughTheMemberRole(@TempDir Path dir) throws Exception {
        WardenProcess.Run run = deliver(dir, "MemberRoleName=" + ROLE + " AllowedRegions=" + LocalAws.REGION);

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("deletion-protection on arn:aws:dynamodb:us-east-1:" + MEMBER
                + ":table/orders: MEDIUM FIXED, alert sent");
        assertThat(member.describe("orders").deletionProtectionEnabled()).isTrue();
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).as("the security account's own table").isFalse();
        assertThat(harness.estate.ledgerItems()).isNotEmpty()
                .allSatisfy(item -> assertThat(item.get("subject").s()).contains(":" + MEMBER + ":table/orders"));
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.at("/MessageAttributes/account/Value").asText()).isEqualTo(MEMBER);
            assertThat(alert.path("Message").asText()).contains(MEMBER);
        });
    }

    @Test
    void membersCreateTable_shouldBeSkipped_whenNoMemberRoleIsNamed(@TempDir Path dir) throws Exception {
        WardenProcess.Run run = deliver(dir, "AllowedRegions=" + LocalAws.REGION);

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout() + run.stderr()).contains("the event is from account " + MEMBER
                + ", and this deployment guards only its own account " + LocalAws.ACCOUNT);
        assertThat(member.describe("orders").deletionProtectionEnabled()).isFalse();
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isFalse();
        assertThat(harness.estate.ledgerItems()).isEmpty();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    /** The published CreateTable record, as the member account's trail wrote it. */
    private WardenProcess.Run deliver(Path dir, String overrides) throws IOException, InterruptedException {
        Path record = dir.resolve("record.json");
        Files.writeString(record, Harness.JSON.readTree(Project.event("create-table-unprotected.json")).get("detail")
                .toString().replace(LocalAws.ACCOUNT, MEMBER));
        Path envVars = dir.resolve("env.json");
        Files.writeString(envVars, "{\"Parameters\": {\"LEDGER_TABLE\": \"" + LocalEstate.LEDGER + "\", \"ALERT_TOPIC_ARN\": \""
                + harness.topicArn + "\"}}");
        return WardenProcess.run(harness.moto.endpoint(), List.of("REMEDIATION_MODE"), Map.of(), Duration.ofSeconds(180),
                "deliver", "-e", record.toString(), "--env-vars", envVars.toString(), "--parameter-overrides", overrides);
    }
}
