package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure check on the samples in events/, as EventBridge delivers them, and the key's state as KMS reads it. */
class TableKeyRuleTest {
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/7d3e9f21-4c5b-4a8e-9b1f-2e6a4c8d0f13";
    private static final Instant NOW = Instant.parse("2024-06-03T10:15:00Z");
    private static final Settings DEFAULTS = Settings.from(name -> null);
    private static final TableRef ORDERS = TestEvents.table("orders");

    private final TableKeyRule rule = new TableKeyRule(() -> (account, region) -> {
        throw new AssertionError("the check reads nothing");
    });

    static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    static KeyState key(String state) {
        return new KeyState(KEY, state, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("orders", "payments", "sessions"), Optional.empty());
    }

    private static Optional<TableState> live(KeyState key) {
        return Optional.of(new TableState(ORDERS, "ACTIVE", Map.of()).withAugment(KeyState.class, key));
    }

    private List<Finding> evaluate(String file, KeyState key, Settings settings) throws IOException {
        return rule.evaluate(sample(file), ORDERS, live(key), settings, NOW);
    }

    @Test
    void disabledKey_shouldBeCritical_restoringTheKey_andNamingEveryTableAndTheDeadline() throws IOException {
        List<Finding> findings = evaluate("table-key-disable-key.json", key("Disabled"), DEFAULTS);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.remedy()).isEqualTo(new TableKeyRemedy.RestoreKey(KEY));
            assertThat(f.detail()).contains("3 DynamoDB table(s) in us-east-1 (orders, payments, sessions)")
                    .contains("is disabled").contains("DisableKey by arn:aws:sts::123456789012:assumed-role/developer/mallory")
                    // seven days from the call, since DynamoDB has not said when it noticed
                    .contains("Deadline: DynamoDB may archive the table(s) after 2024-06-10T10:05:00Z");
        });
    }

    @Test
    void aLookCutShort_shouldStillRestoreTheKey_andSayTheKeyMayEncryptMore() throws IOException {
        KeyState partly = new KeyState(KEY, "Disabled", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("orders"), Optional.empty(), Optional.of(new KeyTables.CutShort(412, 1000, true)));

        assertThat(evaluate("table-key-disable-key.json", partly, DEFAULTS)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.remedy()).isEqualTo(new TableKeyRemedy.RestoreKey(KEY));
            assertThat(f.detail()).contains("1 DynamoDB table(s) in us-east-1 (orders; ddb-warden's look through the"
                    + " region's tables was cut short by its time budget after reading 412 of 1000 tables, so the key may"
                    + " encrypt tables not named here)");
        });
    }

    @Test
    void keyPendingDeletion_shouldSayWhenKmsDeletesIt_whenThatComesFirst() throws IOException {
        KeyState pending = new KeyState(KEY, "PendingDeletion", Optional.of(Instant.parse("2024-06-10T00:00:00Z")),
                Optional.of(Instant.parse("2024-06-03T10:09:00Z")), Optional.empty(), Optional.empty(), List.of("orders"),
                Optional.empty());

        List<Finding> findings = evaluate("table-key-schedule-key-deletion.json", pending, DEFAULTS);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.title()).isEqualTo("key of DynamoDB tables scheduled for deletion");
            assertThat(f.remedy()).isInstanceOf(TableKeyRemedy.RestoreKey.class);
            assertThat(f.detail()).contains("scheduled for deletion on 2024-06-10T00:00:00Z")
                    .contains("after 2024-06-10T10:09:00Z (seven days after DynamoDB found the key inaccessible)")
                    .contains("KMS deletes the key earlier, at 2024-06-10T00:00:00Z");
        });
    }

    @Test
    void approvedPrincipal_shouldGetLow_withoutFix() throws IOException {
        Settings approving = Settings.from(Map.of("APPROVED_PRINCIPALS", TestEvents.APPROVED_ROLE)::get);

        List<Finding> findings = evaluate("table-key-disable-key-approved.json", key("Disabled"), approving);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.remedy().manualStep(ORDERS)).contains("aws kms enable-key");
        });
        // unconfirmed by CloudTrail, the same call is decided as anyone's
        assertThat(rule.evaluate(sample("table-key-disable-key-approved.json"), ORDERS, live(key("Disabled")),
                rule.unconfirmed(approving), NOW)).singleElement().extracting(Finding::severity).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void securityRole_shouldGetLow_andLoseItUnconfirmed() throws IOException {
        Settings security = Settings.from(Map.of("QUARANTINE_EXEMPT_PRINCIPALS", TestEvents.APPROVED_ROLE)::get);

        assertThat(evaluate("table-key-disable-key-approved.json", key("Disabled"), security))
                .singleElement().extracting(Finding::severity).isEqualTo(Severity.LOW);
        assertThat(rule.evaluate(sample("table-key-disable-key-approved.json"), ORDERS, live(key("Disabled")),
                rule.unconfirmed(security), NOW)).singleElement().extracting(Finding::severity).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void keyEnabledAgain_orNotCustomerManaged_shouldFindNothing() throws IOException {
        assertThat(evaluate("table-key-disable-key.json", key("Enabled"), DEFAULTS)).isEmpty();
        assertThat(evaluate("table-key-disable-key.json", KeyState.notCustomerManaged(), DEFAULTS)).isEmpty();
        assertThat(rule.evaluate(sample("table-key-disable-key.json"), ORDERS, Optional.empty(), DEFAULTS, NOW)).isEmpty();
    }

    @Test
    void keyPolicyDenyingDynamoDb_shouldBeCriticalWithoutFix_andAnyOtherPolicyNothing() throws IOException {
        KeyState denied = new KeyState(KEY, "Enabled", Optional.empty(), Optional.empty(),
                Optional.of("{\"Sid\":\"NoDynamoDB\"}"), Optional.empty(), List.of("orders"), Optional.empty());

        assertThat(evaluate("table-key-put-key-policy-deny.json", denied, DEFAULTS)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains("NoDynamoDB").contains("overrides DynamoDB's grants");
        });
        assertThat(evaluate("table-key-put-key-policy-deny.json", key("Enabled"), DEFAULTS)).isEmpty();
    }

    @Test
    void revokedGrant_shouldNameTheTablesThatLostTheirs() throws IOException {
        KeyState lost = new KeyState(KEY, "Enabled", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("orders", "payments"), Optional.of(Set.of("payments")));
        KeyState intact = new KeyState(KEY, "Enabled", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("orders", "payments"), Optional.of(Set.of("orders", "payments")));

        assertThat(evaluate("table-key-revoke-grant.json", lost, DEFAULTS)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.detail()).contains("for table(s) orders.").doesNotContain("payments.");
        });
        assertThat(evaluate("table-key-retire-grant.json", intact, DEFAULTS)).isEmpty();
    }

    @Test
    void deletedImportedMaterial_shouldBeCritical_onlyWhileTheKeyWaitsForIt() throws IOException {
        assertThat(evaluate("table-key-delete-imported-key-material.json", key("PendingImport"), DEFAULTS))
                .singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(f.remedy().manualStep(ORDERS)).contains("import-key-material");
                });
        assertThat(evaluate("table-key-delete-imported-key-material.json", key("Enabled"), DEFAULTS)).isEmpty();
    }

    @Test
    void keyKmsRefusesToDescribe_shouldBeCritical_pointingAtTheKeyPolicyStatement() throws IOException {
        KeyState refused = new KeyState(KEY, "", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("User is not authorized to perform: kms:DescribeKey"), List.of("orders"), Optional.empty());

        assertThat(evaluate("table-key-disable-key.json", refused, DEFAULTS)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.remedy().manualStep(ORDERS)).contains("docs/table-key.md");
        });
        // the sweep does not repeat it four times a day
        assertThat(rule.evaluate(ApiCall.sweep("s1", "us-east-1", "123456789012", "orders", NOW), ORDERS, live(refused),
                DEFAULTS, NOW)).isEmpty();
    }

    @Test
    void sweep_shouldReportADisabledKey() {
        ApiCall sweep = ApiCall.sweep("s1", "us-east-1", "123456789012", "orders", NOW);

        assertThat(rule.evaluate(sweep, ORDERS, live(key("Disabled")), DEFAULTS, NOW)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("the sweep's look"));
        assertThat(rule.evaluate(sweep, ORDERS, live(key("Unavailable")), DEFAULTS, NOW)).singleElement()
                .satisfies(f -> assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class));
    }

    @Test
    void aKeyStillReadEnabled_shouldNotBeCurrentForDisableKey() throws IOException {
        TableState enabled = live(key("Enabled")).orElseThrow();
        TableState disabled = live(key("Disabled")).orElseThrow();

        assertThat(rule.isCurrent(sample("table-key-disable-key.json"), enabled)).isFalse();
        assertThat(rule.isCurrent(sample("table-key-disable-key.json"), disabled)).isTrue();
        assertThat(rule.isCurrent(sample("table-key-schedule-key-deletion.json"), disabled)).isFalse();
    }
}
