package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure check on the samples in events/, as EventBridge delivers them. */
class TtlRuleTest {
    private static final Instant NOW = Instant.parse("2024-06-03T08:15:50Z");
    private static final String ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
    private static final String DEVELOPER = "arn:aws:iam::123456789012:role/developer";
    private static final Settings DEFAULTS = settings(Map.of());
    private static final TtlRule.Ttl ON_CREATED_AT = new TtlRule.Ttl("ENABLED", "createdAt");

    private final TtlRule rule = new TtlRule();

    /** Settings as a function reads them, the rules' own lines carried. */
    private static Settings settings(Map<String, String> values) {
        return Settings.from(values::get, Rules.settingNames());
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private static TableRef tableOf(ApiCall call) {
        return TableLocator.locate(call).orElseThrow();
    }

    private static TableState live(TableRef table, TtlRule.Ttl ttl, Map<String, String> tags, Optional<Hold> held) {
        return new TableState(table, "ACTIVE", tags).withAugment(TtlRule.Ttl.class, ttl)
                .withAugment(Hold.Held.class, held.map(Hold.Held.NONE::with).orElse(Hold.Held.NONE));
    }

    private static Optional<Hold> held(TableRef table, String attribute) {
        return Optional.of(new Hold(Hold.Kind.TTL, table.arn(), NOW.minusSeconds(3600), Optional.empty(), Optional.of(attribute)));
    }

    private List<Finding> enabled(TtlRule.Ttl ttl, Map<String, String> tags, Optional<Hold> held, Settings settings)
            throws IOException {
        ApiCall call = sample("update-time-to-live-enabled.json");
        return rule.evaluate(call, tableOf(call), Optional.of(live(tableOf(call), ttl, tags, held)), settings, NOW);
    }

    @Test
    void ttlTurnedOn_onAnUndeclaredTable_byADeveloper_shouldBeTurnedOffAgain_HIGH_withTheRestore() throws IOException {
        List<Finding> findings = enabled(ON_CREATED_AT, Map.of(), Optional.empty(), DEFAULTS);

        assertThat(findings).hasSize(1);
        Finding finding = findings.get(0);
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.remedy()).isEqualTo(new TtlRemedy.DisableTtl("createdAt"));
        assertThat(finding.detail()).contains("createdAt", "assumed-role/developer/alice",
                "items whose attribute is already in the past may be deleted by DynamoDB within days unless TTL stays off",
                "aws dynamodb restore-table-to-point-in-time --region us-east-1 --source-table-arn "
                        + "arn:aws:dynamodb:us-east-1:123456789012:table/orders --target-table-name orders-before-ttl"
                        + " --restore-date-time 2024-06-03T08:15:41Z");
    }

    @Test
    void ttl_inTtlTables_shouldBeLeftAlone() throws IOException {
        assertThat(enabled(ON_CREATED_AT, Map.of(), Optional.empty(), settings(Map.of("TTL_TABLES", "audit, ord*"))))
                .isEmpty();
        assertThat(enabled(ON_CREATED_AT, Map.of(), Optional.empty(), settings(Map.of("TTL_TABLES", "orders-*"))))
                .hasSize(1);
    }

    @Test
    void aTag_shouldDeclare_onlyBesideTheLedgersHoldOfTheSameAttribute() throws IOException {
        TableRef orders = TestEvents.table("orders");
        Map<String, String> tagged = Map.of(TtlRule.TAG_KEY, "createdAt");

        assertThat(enabled(ON_CREATED_AT, tagged, held(orders, "createdAt"), DEFAULTS)).isEmpty();
        // The tag alone: anyone allowed TagResource can write it.
        assertThat(enabled(ON_CREATED_AT, tagged, Optional.empty(), DEFAULTS)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("holds no declaration by an approved principal"));
        // The ledger declared another attribute: the tag was changed after the trusted one was recorded.
        assertThat(enabled(ON_CREATED_AT, tagged, held(orders, "expiresAt"), DEFAULTS)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("holds the declaration of attribute expiresAt"));
        // The declaration names another attribute than the one TTL is on for: changing it is a violation.
        assertThat(enabled(ON_CREATED_AT, Map.of(TtlRule.TAG_KEY, "expiresAt"), held(orders, "expiresAt"), DEFAULTS))
                .singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                    assertThat(f.detail()).contains("tag names attribute expiresAt, not this one");
                });
    }

    @Test
    void ttlTurnedOn_byAnApprovedPrincipal_shouldOnlyBeReported_LOW() throws IOException {
        List<Finding> findings = enabled(ON_CREATED_AT, Map.of(), Optional.empty(),
                settings(Map.of(EnvVar.APPROVED_PRINCIPALS, DEVELOPER)));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
        });
        // A security role may declare TTL, not turn it on unannounced.
        assertThat(enabled(ON_CREATED_AT, Map.of(), Optional.empty(),
                settings(Map.of(EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, DEVELOPER)))).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.HIGH));
    }

    @Test
    void ttlOff_orBeingTurnedOff_shouldBeCompliant() throws IOException {
        assertThat(enabled(TtlRule.Ttl.OFF, Map.of(), Optional.empty(), DEFAULTS)).isEmpty();
        assertThat(enabled(new TtlRule.Ttl("DISABLING", "createdAt"), Map.of(), Optional.empty(), DEFAULTS)).isEmpty();
        assertThat(enabled(new TtlRule.Ttl("ENABLING", "createdAt"), Map.of(), Optional.empty(), DEFAULTS)).hasSize(1);
    }

    @Test
    void theSweep_shouldReportUndeclaredTtl_MEDIUM_andChangeNothing() {
        ApiCall sweep = ApiCall.sweep("s1", "us-east-1", "123456789012", "orders", NOW);
        TableRef orders = TestEvents.table("orders");

        List<Finding> findings = rule.evaluate(sweep, orders, Optional.of(live(orders, ON_CREATED_AT, Map.of(), Optional.empty())),
                DEFAULTS, NOW);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.remedy().manualStep(orders)).contains("--tags Key=ddb-warden:ttl,Value=createdAt",
                    "update-time-to-live", "Enabled=false,AttributeName=createdAt");
        });
    }

    @Test
    void aDeclarationTag_byATrustedPrincipal_shouldBeRecorded_andByAnyoneElseIgnored() throws IOException {
        ApiCall call = sample("tag-resource-ttl-declaration.json");
        TableRef sessions = tableOf(call);
        Map<String, String> tagged = Map.of(TtlRule.TAG_KEY, "expiresAt");
        TableState state = live(sessions, TtlRule.Ttl.OFF, tagged, Optional.empty());

        assertThat(rule.evaluate(call, sessions, Optional.of(state), settings(Map.of(EnvVar.APPROVED_PRINCIPALS, ADMIN)), NOW))
                .singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.LOW);
                    assertThat(f.remedy()).isEqualTo(new TtlRemedy.RecordDeclaration("expiresAt"));
                });
        assertThat(rule.evaluate(call, sessions, Optional.of(state), settings(Map.of(EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, ADMIN)), NOW))
                .singleElement().satisfies(f -> assertThat(f.remedy()).isEqualTo(new TtlRemedy.RecordDeclaration("expiresAt")));
        assertThat(rule.evaluate(call, sessions, Optional.of(state), DEFAULTS, NOW)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains("ddb-warden ignores it");
        });
        // Already recorded, or the live tag says something else by now: nothing to decide.
        assertThat(rule.evaluate(call, sessions, Optional.of(live(sessions, TtlRule.Ttl.OFF, tagged, held(sessions, "expiresAt"))),
                settings(Map.of(EnvVar.APPROVED_PRINCIPALS, ADMIN)), NOW)).isEmpty();
        assertThat(rule.evaluate(call, sessions, Optional.of(live(sessions, TtlRule.Ttl.OFF, Map.of(TtlRule.TAG_KEY, "other"),
                Optional.empty())), settings(Map.of(EnvVar.APPROVED_PRINCIPALS, ADMIN)), NOW)).isEmpty();
    }

    @Test
    void aTableCreatedWithTheDeclarationTag_byATrustedPrincipal_shouldBeRecorded_andByAnyoneElseIgnored() throws IOException {
        // GIVEN sessions, created by platform-admin with ddb-warden:ttl=expiresAt among its Tags
        ApiCall call = sample("create-table-ttl-declaration.json");
        TableRef sessions = tableOf(call);
        TableState state = live(sessions, TtlRule.Ttl.OFF, Map.of(TtlRule.TAG_KEY, "expiresAt", "team", "identity"), Optional.empty());
        Settings approved = settings(Map.of(EnvVar.APPROVED_PRINCIPALS, ADMIN));

        // THEN the creation declares TTL as a TagResource would, under the same confirmation of the actor
        assertThat(rule.reads(call)).isTrue();
        assertThat(rule.evaluate(call, sessions, Optional.of(state), approved, NOW)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.remedy()).isEqualTo(new TtlRemedy.RecordDeclaration("expiresAt"));
            assertThat(f.detail()).contains("created it tagged ddb-warden:ttl=expiresAt");
        });
        assertThat(rule.evaluate(call, sessions, Optional.of(state), approved.withoutTrustedActors(), NOW))
                .isNotEqualTo(rule.evaluate(call, sessions, Optional.of(state), approved, NOW));
        assertThat(rule.evaluate(call, sessions, Optional.of(state), DEFAULTS, NOW)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
        });
        // The tag no longer on the table by the time it is read: nothing to record.
        assertThat(rule.evaluate(call, sessions, Optional.of(live(sessions, TtlRule.Ttl.OFF, Map.of(), Optional.empty())),
                approved, NOW)).isEmpty();
        assertThat(rule.isCurrent(call, live(sessions, TtlRule.Ttl.OFF, Map.of(), Optional.empty()))).isFalse();
    }

    @Test
    void aTableCreatedWithoutTheTag_shouldBeNoneOfThisRulesBusiness() throws IOException {
        ApiCall call = sample("create-table-unprotected.json");

        assertThat(rule.evaluate(call, tableOf(call), Optional.of(live(tableOf(call), TtlRule.Ttl.OFF, Map.of(), Optional.empty())),
                settings(Map.of(EnvVar.APPROVED_PRINCIPALS, DEVELOPER)), NOW)).isEmpty();
    }

    @Test
    void trustedDecisions_shouldDifferFromWhatAnUnconfirmedActorGets_soThatCloudTrailConfirmsThem() throws IOException {
        ApiCall call = sample("tag-resource-ttl-declaration.json");
        TableRef sessions = tableOf(call);
        TableState state = live(sessions, TtlRule.Ttl.OFF, Map.of(TtlRule.TAG_KEY, "expiresAt"), Optional.empty());
        Settings security = settings(Map.of(EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, ADMIN));

        assertThat(rule.decidesOnActor()).isTrue();
        assertThat(rule.evaluate(call, sessions, Optional.of(state), security.withoutTrustedActors(), NOW))
                .isNotEqualTo(rule.evaluate(call, sessions, Optional.of(state), security, NOW));
    }

    @Test
    void isCurrent_shouldWaitForDescribeTimeToLiveToShowTheCall() throws IOException {
        ApiCall call = sample("update-time-to-live-enabled.json");
        TableRef orders = tableOf(call);

        assertThat(rule.isCurrent(call, live(orders, TtlRule.Ttl.OFF, Map.of(), Optional.empty()))).isFalse();
        assertThat(rule.isCurrent(call, live(orders, new TtlRule.Ttl("ENABLING", "createdAt"), Map.of(), Optional.empty()))).isTrue();
        assertThat(rule.isCurrent(call, live(orders, new TtlRule.Ttl("ENABLED", "other"), Map.of(), Optional.empty()))).isFalse();
    }

    @Test
    void ttlTables_shouldRefuseWhatIsNotATableNameOrGlob() {
        Map<String, String> bad = new HashMap<>(Map.of("TTL_TABLES", "orders,not/a/table"));

        assertThatThrownBy(() -> TtlRule.TTL_TABLES.in(settings(bad))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTL_TABLES").hasMessageContaining("not/a/table");
    }

    @Test
    void theDisabledSample_shouldFindNothing_onATableWithTtlOff() throws IOException {
        ApiCall call = sample("update-time-to-live-disabled.json");

        assertThat(rule.evaluate(call, tableOf(call), Optional.of(live(tableOf(call), TtlRule.Ttl.OFF, Map.of(), Optional.empty())),
                DEFAULTS, NOW)).isEmpty();
    }
}
