package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.tablekey.TableKeyRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the table-key rule against moto_server on loopback: moto models customer managed
 * keys, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion, EnableKey, grants with encryption-context constraints,
 * RevokeGrant and tables created with a key (checked with moto 5.2.1). moto makes no grant when a table is created
 * with a key, so {@link LocalKeys} makes DynamoDB's. moto neither refuses by key policy as KMS does nor reports
 * InaccessibleEncryptionDateTime: RestoreKeyFixTest and TableKeyRuleTest cover those with mocks.
 */
class TableKeyIT {
    private final Harness harness = new Harness();
    private final LocalKeys keys = new LocalKeys(harness.estate.dynamo());
    private static final TableKeyRule RULE = new TableKeyRule();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(RULE, "kms:ListGrants", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:CancelKeyDeletion",
                "kms:EnableKey", "dynamodb:DescribeTable", "dynamodb:ListTables", "sns:Publish", "dynamodb:PutItem");
    }

    @AfterEach
    void tearDown() {
        keys.close();
        harness.close();
    }

    private JsonNode invoke(Map<String, String> overrides, String sample, String keyArn) throws Exception {
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(overrides))),
                LocalKeys.event(Project.event(sample), keyArn));
    }

    @Test
    void disabledKeyOfThreeTables_shouldBeEnabled_withOneCriticalAlertNamingEveryTable_andARedeliveryChangingNothing()
            throws Exception {
        // GIVEN a key behind three tables, and a fourth table under another key
        String key = keys.createKey();
        for (String table : List.of("payments", "orders", "sessions")) {
            keys.createTable(table, key);
        }
        keys.createTable("audit", keys.createKey());
        keys.disable(key);

        // WHEN the DisableKey event arrives, then again
        JsonNode first = invoke(Map.of(), "table-key-disable-key.json", key);
        String afterFirst = keys.keyState(key);
        keys.disable(key);
        JsonNode again = invoke(Map.of(), "table-key-disable-key.json", key);

        // THEN the key is enabled, one ledger entry and one alert stand for the event and name all three tables
        assertThat(first.at("/results").size()).isEqualTo(1);
        assertThat(first.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(first.at("/results/0/table").asText()).endsWith(":table/orders");
        assertThat(afterFirst).isEqualTo("Enabled");
        assertThat(harness.estate.ledgerItems()).hasSize(1);
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[CRITICAL]");
            assertThat(alert.path("Message").asText()).contains("3 DynamoDB table(s) in us-east-1 (orders, payments, sessions)")
                    .contains("Deadline: DynamoDB may archive the table(s) after").contains("EnableKey")
                    .doesNotContain("audit");
            assertThat(alert.at("/MessageAttributes/rule/Value").asText()).isEqualTo("table-key");
        });
        // the re-delivery found its decision done: no second fix, alert or entry
        assertThat(again.at("/results/0/action").asText()).isNotEqualTo("FIXED");
        assertThat(keys.keyState(key)).isEqualTo("Disabled");
        assertThat(harness.estate.ledgerItems()).hasSize(1);
    }

    @Test
    void keyScheduledForDeletion_shouldBeCancelledAndEnabled() throws Exception {
        String key = keys.createKey();
        keys.createTable("payments", key);
        keys.scheduleDeletion(key);

        JsonNode result = invoke(Map.of(), "table-key-schedule-key-deletion.json", key);

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(keys.keyState(key)).isEqualTo("Enabled");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> assertThat(alert.path("Message").asText())
                .contains("scheduled for deletion on").contains("CancelKeyDeletion"));
    }

    @Test
    void keyEncryptingNoTable_shouldBeLeftAlone_withoutAlert() throws Exception {
        String key = keys.createKey();
        harness.estate.createTable("orders", true);
        keys.disable(key);

        JsonNode result = invoke(Map.of(), "table-key-disable-key.json", key);

        assertThat(result.path("results").size()).isZero();
        assertThat(keys.keyState(key)).isEqualTo("Disabled");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    /**
     * Grants revoked before the key is disabled hide no table: the RevokeGrant, the call that took the key from the
     * table (DynamoDB uses it through its grants), is alerted CRITICAL naming it; the DisableKey of a key DynamoDB then
     * holds no grant on takes nothing more from any table and is left alone, without reading every table.
     */
    @Test
    void grantsRevokedBeforeTheKeyIsDisabled_shouldHideNoTable() throws Exception {
        // GIVEN DynamoDB's grant revoked first, so that the grants name no table
        String key = keys.createKey();
        keys.createTable("payments", key);
        keys.kms().listGrants(r -> r.keyId(key)).grants()
                .forEach(grant -> keys.kms().revokeGrant(r -> r.keyId(key).grantId(grant.grantId())));

        JsonNode revoked = invoke(Map.of(), "table-key-revoke-grant.json", key);
        keys.disable(key);
        JsonNode disabled = invoke(Map.of(), "table-key-disable-key.json", key);

        assertThat(revoked.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(revoked.at("/results/0/table").asText()).endsWith(":table/payments");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[CRITICAL]");
            assertThat(alert.path("Message").asText()).contains("for table(s) payments.");
        });
        assertThat(disabled.path("results").size()).isZero();
        assertThat(keys.keyState(key)).isEqualTo("Disabled");
    }

    @Test
    void revokedDynamoDbGrant_shouldBeCritical_namingTheTableThatLostIt() throws Exception {
        String key = keys.createKey();
        keys.createTable("orders", key);
        keys.createTable("payments", key);
        String ordersGrant = keys.kms().listGrants(r -> r.keyId(key)).grants().stream()
                .filter(g -> "orders".equals(g.constraints().encryptionContextSubset().get("aws:dynamodb:tableName")))
                .findFirst().orElseThrow().grantId();
        keys.kms().revokeGrant(r -> r.keyId(key).grantId(ordersGrant));

        JsonNode result = invoke(Map.of(), "table-key-revoke-grant.json", key);

        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[CRITICAL]");
            assertThat(alert.path("Message").asText()).contains("for table(s) orders.");
        });
    }

    @Test
    void approvedPrincipal_shouldGetLow_andTheKeyStaysDisabled() throws Exception {
        String key = keys.createKey();
        keys.createTable("payments", key);
        keys.disable(key);

        // moto has no CloudTrail LookupEvents: the event's word is taken, as VERIFY_ACTORS=false says
        JsonNode result = invoke(Map.of("APPROVED_PRINCIPALS", "arn:aws:iam::123456789012:role/PlatformAdmin",
                "VERIFY_ACTORS", "false"), "table-key-disable-key-approved.json", key);

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("LOW");
        assertThat(keys.keyState(key)).isEqualTo("Disabled");
    }

    @Test
    void notifyMode_shouldLeaveTheKeyDisabled_butAlertWithTheCommands() throws Exception {
        String key = keys.createKey();
        keys.createTable("payments", key);
        keys.disable(key);

        JsonNode result = invoke(Map.of("RULE_MODES", "table-key=notify"), "table-key-disable-key.json", key);

        assertThat(result.at("/results/0/action").asText()).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        assertThat(keys.keyState(key)).isEqualTo("Disabled");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> assertThat(alert.path("Message").asText())
                .contains("aws kms enable-key"));
    }
}
