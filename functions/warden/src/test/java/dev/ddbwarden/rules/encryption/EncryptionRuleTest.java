package dev.ddbwarden.rules.encryption;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.encryption.EncryptionRule.EncryptionRemedy;
import dev.ddbwarden.state.LastSeen;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure check on the samples in events/, as EventBridge delivers them, with the key state and memory given. */
class EncryptionRuleTest {
    private static final Instant NOW = Instant.parse("2024-05-14T09:40:30Z");
    static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab";
    private static final Settings DEFAULTS = settings(Map.of());
    private static final Sse OWNED = Sse.awsOwned();
    private static final Sse CMK = new Sse(Sse.Kind.CUSTOMER, Optional.of(KEY), Optional.of("Enabled"));
    private static final LastSeen SEEN_CMK = new LastSeen(Map.of(EncryptionRule.KIND_FACT, "CUSTOMER", EncryptionRule.KEY_FACT, KEY));

    private final EncryptionRule rule = new EncryptionRule((account, region) -> {
        throw new AssertionError("the check makes no call");
    });

    private static Settings settings(Map<String, String> lines) {
        return Settings.from(lines::get, Rules.settingNames());
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private List<Finding> evaluate(String file, Sse live, Optional<LastSeen> seen, Settings settings) throws IOException {
        ApiCall call = sample(file);
        TableRef table = TableLocator.locate(call).orElseThrow();
        TableState state = new TableState(table, "ACTIVE", Map.of()).withAugment(Sse.class, live);
        return rule.evaluate(call, table, Optional.of(seen.map(s -> state.withAugment(LastSeen.class, s)).orElse(state)),
                settings, NOW);
    }

    @Test
    void evaluate_shouldPutTheTableBackUnderItsRememberedKey_HIGH_whenUpdateTableMovedItToAnAwsOwnedKey() throws IOException {
        List<Finding> findings = evaluate("update-table-sse-aws-owned.json", OWNED, Optional.of(SEEN_CMK), DEFAULTS);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("encryption");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.remedy()).isEqualTo(new EncryptionRemedy.RestoreKey(KEY));
            assertThat(f.detail()).contains("no longer encrypted with a customer managed key").contains("an AWS owned key")
                    .contains("was under customer managed key " + KEY).contains("UpdateTable")
                    .contains("arn:aws:sts::123456789012:assumed-role/developer/alice");
        });
    }

    @Test
    void evaluate_shouldAlertHigh_withoutAFix_whenTheKeyBeforeIsNotKnown() throws IOException {
        // GIVEN a table ddb-warden never saw: the move may have been off a customer managed key (fails closed)
        List<Finding> findings = evaluate("update-table-sse-aws-owned.json", OWNED, Optional.of(new LastSeen(Map.of())), DEFAULTS);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains("(not known to ddb-warden)").contains("knows no earlier customer managed key");
        });
    }

    @Test
    void evaluate_shouldLetAnAwsOwnedTableChangeKeys_unlessRequireCmk() throws IOException {
        LastSeen owned = new LastSeen(Map.of(EncryptionRule.KIND_FACT, "AWS_OWNED"));
        Sse managed = new Sse(Sse.Kind.AWS_MANAGED, Optional.of(OTHER_KEY), Optional.of("Enabled"));

        assertThat(evaluate("update-table-sse-aws-owned.json", managed, Optional.of(owned), DEFAULTS)).isEmpty();
        assertThat(evaluate("update-table-sse-aws-owned.json", managed, Optional.of(owned), settings(Map.of("REQUIRE_CMK", "true"))))
                .singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                    assertThat(f.detail()).contains("the AWS managed key aws/dynamodb").contains("REQUIRE_CMK=true");
                });
    }

    @Test
    void evaluate_shouldAlertHigh_whenTheTableIsUnderAnotherAccountsKey() throws IOException {
        Sse foreign = new Sse(Sse.Kind.OTHER_ACCOUNT,
                Optional.of("arn:aws:kms:us-east-1:210987654321:key/3f9a1c2e-5b7d-4e8f-a0b1-c2d3e4f5a6b7"), Optional.empty());

        List<Finding> findings = evaluate("update-table-sse-other-account-key.json", foreign, Optional.of(SEEN_CMK), DEFAULTS);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("of account 210987654321, not this account 123456789012");
            assertThat(f.remedy()).isEqualTo(new EncryptionRemedy.RestoreKey(KEY));
        });
    }

    @Test
    void evaluate_shouldHoldTablesToAllowedKmsKeys_andNeverRestoreAKeyOutsideThem() throws IOException {
        Settings onlyOther = settings(Map.of("ALLOWED_KMS_KEYS", OTHER_KEY));

        // WHEN the table is under KEY, and KEY is what the ledger remembers, but only OTHER_KEY is allowed
        List<Finding> findings = evaluate("update-table-sse-other-account-key.json", CMK, Optional.of(SEEN_CMK), onlyOther);

        // THEN HIGH, and the remembered key is not put back: it would not be allowed either
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("not in ALLOWED_KMS_KEYS");
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
        });
        assertThat(evaluate("update-table-sse-other-account-key.json", CMK, Optional.of(SEEN_CMK), DEFAULTS)).isEmpty();
    }

    @Test
    void evaluate_shouldReportANewTableWithoutACustomerManagedKey_onlyWhenRequireCmk_andIgnoreAnOlderTablesMemory()
            throws IOException {
        assertThat(evaluate("create-table-unprotected.json", OWNED, Optional.of(SEEN_CMK), DEFAULTS)).isEmpty();
        assertThat(evaluate("restore-table-from-backup.json", OWNED, Optional.of(SEEN_CMK), settings(Map.of("REQUIRE_CMK", "true"))))
                .singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                    assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
                    assertThat(((Remedy.AlertOnly) f.remedy()).manualStep(f.table()))
                            .contains("--sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY_ARN");
                });
    }

    @Test
    void toRemember_shouldKeepTheKind_andTheKeyOnlyOfACustomerManagedKey() {
        TableState table = new TableState(TestEvents.table("payments"), "ACTIVE", Map.of());

        assertThat(rule.toRemember(table.withAugment(Sse.class, CMK)))
                .isEqualTo(Map.of(EncryptionRule.KIND_FACT, "CUSTOMER", EncryptionRule.KEY_FACT, KEY));
        assertThat(rule.toRemember(table.withAugment(Sse.class, OWNED))).isEqualTo(Map.of(EncryptionRule.KIND_FACT, "AWS_OWNED"));
        assertThat(rule.remembers()).containsExactlyInAnyOrder(EncryptionRule.KIND_FACT, EncryptionRule.KEY_FACT);
    }

    @Test
    void isCurrent_shouldWaitForTheLiveTableToShowTheKeyAskedFor() throws IOException {
        ApiCall owned = sample("update-table-sse-aws-owned.json");
        TableState table = new TableState(TableLocator.locate(owned).orElseThrow(), "ACTIVE", Map.of());

        assertThat(rule.isCurrent(owned, table.withAugment(Sse.class, CMK))).isFalse();
        assertThat(rule.isCurrent(owned, table.withAugment(Sse.class, OWNED))).isTrue();
        assertThat(rule.mayDecideOnStaleState(owned)).isFalse();
        assertThat(rule.mayDecideOnStaleState(sample("create-table-unprotected.json"))).isTrue();
    }

    @Test
    void settings_shouldRefuseAnAllowedKeyThatIsNoKeyArn_andRequireCmkThatIsNoBoolean() {
        assertThatThrownBy(() -> EncryptionRule.ALLOWED_KMS_KEYS.in(settings(Map.of("ALLOWED_KMS_KEYS", "alias/mine"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ALLOWED_KMS_KEYS");
        assertThatThrownBy(() -> EncryptionRule.REQUIRE_CMK.in(settings(Map.of("REQUIRE_CMK", "yes"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REQUIRE_CMK");
        assertThat(EncryptionRule.ALLOWED_KMS_KEYS.in(settings(Map.of("ALLOWED_KMS_KEYS", KEY + ", " + OTHER_KEY))))
                .containsExactlyInAnyOrder(KEY, OTHER_KEY);
    }

    @Test
    void theRule_shouldBeRegistered_withItsTriggers() {
        assertThat(Rules.byName("encryption")).containsInstanceOf(EncryptionRule.class);
        assertThat(rule.eventNames()).contains("UpdateTable", "CreateTable", "RestoreTableFromBackup",
                "RestoreTableToPointInTime", "ImportTable");
    }
}
