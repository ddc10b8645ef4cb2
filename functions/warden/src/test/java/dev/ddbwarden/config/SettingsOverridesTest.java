package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SETTINGS_OVERRIDES read, and the values an account gets from it: its own over the nearest OU's over the default. */
class SettingsOverridesTest {
    private static final String A = "111111111111";
    private static final String B = "222222222222";
    private static final String OUTER = "ou-ab12-aaaaaaaa";
    private static final String INNER = "ou-ab12-bbbbbbbb";
    private static final Map<String, String> DEFAULTS = Map.of(EnvVar.REMEDIATION_MODE, "remediate",
            EnvVar.ALLOWED_REGIONS, "us-east-1,eu-west-1,eu-central-1", EnvVar.EXEMPT_TABLES, "scratch-*,tmp-*",
            EnvVar.RULE_MODES, "ttl=notify", EnvVar.DECOMMISSION_WINDOW_HOURS, "24");
    private static final Function<String, String> DEFAULT = DEFAULTS::get;

    private static SettingsOverrides parse(String text) {
        return SettingsOverrides.parse(text, Set.of("MIN_PITR_DAYS"));
    }

    @Test
    void parse_shouldReadEachScopeAndItsSettings() {
        SettingsOverrides overrides = parse("[" + A + "] ALLOWED_REGIONS=us-east-1,eu-west-1; RULE_MODES=ttl=off,tags=notify ["
                + OUTER + "] REMEDIATION_MODE=notify");

        assertThat(overrides.scopes()).containsOnlyKeys(A, OUTER);
        assertThat(overrides.scopes().get(A)).containsExactly(Map.entry(EnvVar.ALLOWED_REGIONS, "us-east-1,eu-west-1"),
                Map.entry(EnvVar.RULE_MODES, "ttl=off,tags=notify"));
        assertThat(overrides.scopes().get(OUTER)).containsExactly(Map.entry(EnvVar.REMEDIATION_MODE, "notify"));
        assertThat(overrides.namesOus()).isTrue();
        assertThat(parse("  ").scopes()).isEmpty();
        assertThat(parse(null).scopes()).isEmpty();
    }

    @Test
    void parse_shouldRefuseWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> parse("ALLOWED_REGIONS=us-east-1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SETTINGS_OVERRIDES");
        assertThatThrownBy(() -> parse("x [" + A + "] EXEMPT_TABLES=a")).hasMessageContaining("outside any");
        assertThatThrownBy(() -> parse("[12345] EXEMPT_TABLES=a")).hasMessageContaining("neither a 12-digit account");
        assertThatThrownBy(() -> parse("[r-ab12] EXEMPT_TABLES=a")).hasMessageContaining("neither a 12-digit account");
        assertThatThrownBy(() -> parse("[" + A + "] EXEMPT_TABLES=a [" + A + "] EXEMPT_TABLES=b")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> parse("[" + A + "] EXEMPT_TABLES=a; EXEMPT_TABLES=b")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> parse("[" + A + "] EXEMPT_TABLES")).hasMessageContaining("not KEY=value");
        assertThatThrownBy(() -> parse("[" + A + "]")).hasMessageContaining("changes no setting");
        // The stack's own resources are no account's to change.
        assertThatThrownBy(() -> parse("[" + A + "] LEDGER_TABLE=other")).hasMessageContaining("not a setting an account may change");
        assertThatThrownBy(() -> parse("[" + A + "] ALERT_TOPIC_ARN=x")).hasMessageContaining("not a setting an account may change");
        // A setting with no order cannot be an OU's: an account whose OU is unread could not take its strictest.
        assertThatThrownBy(() -> parse("[" + OUTER + "] MIN_PITR_DAYS=7")).hasMessageContaining("cannot be set for an OU");
        assertThatThrownBy(() -> parse("[" + OUTER + "] FIX_LIMIT_PER_HOUR=7")).hasMessageContaining("cannot be set for an OU");
    }

    @Test
    void anAccountRule_andTheBreakersLimit_mayBeSetForAnAccount() {
        SettingsOverrides overrides = parse("[" + A + "] MIN_PITR_DAYS=7; FIX_LIMIT_PER_HOUR=9");

        assertThat(overrides.values(A, List.of(), DEFAULT).apply("MIN_PITR_DAYS")).isEqualTo("7");
        assertThat(overrides.values(B, List.of(), DEFAULT).apply("MIN_PITR_DAYS")).isNull();
    }

    @Test
    void values_shouldTakeTheAccountOverTheNearestOuOverTheFartherOuOverTheDefault() {
        SettingsOverrides overrides = parse("[" + OUTER + "] EXEMPT_TABLES=outer-*; ALLOWED_REGIONS=us-east-1; RULE_MODES=ttl=off ["
                + INNER + "] EXEMPT_TABLES=inner-* [" + A + "] EXEMPT_TABLES=mine-*");
        List<String> path = List.of(INNER, OUTER);

        Function<String, String> a = overrides.values(A, path, DEFAULT);
        Function<String, String> b = overrides.values(B, path, DEFAULT);
        Function<String, String> elsewhere = overrides.values(B, List.of(), DEFAULT);

        assertThat(a.apply(EnvVar.EXEMPT_TABLES)).isEqualTo("mine-*");
        assertThat(b.apply(EnvVar.EXEMPT_TABLES)).isEqualTo("inner-*");
        assertThat(b.apply(EnvVar.ALLOWED_REGIONS)).isEqualTo("us-east-1");
        assertThat(a.apply(EnvVar.RULE_MODES)).isEqualTo("ttl=off");
        assertThat(elsewhere.apply(EnvVar.EXEMPT_TABLES)).isEqualTo("scratch-*,tmp-*");
        assertThat(elsewhere.apply(EnvVar.RULE_MODES)).isEqualTo("ttl=notify");
        // The OU nearest the account wins even where the farther one is written first.
        assertThat(overrides.values(B, List.of(OUTER, INNER), DEFAULT).apply(EnvVar.EXEMPT_TABLES)).isEqualTo("outer-*");
    }

    @Test
    void unknownPath_shouldTakeTheStrictestOfTheDefaultAndEveryOu_settingBySetting() {
        SettingsOverrides overrides = parse("[" + OUTER + "] ALLOWED_REGIONS=us-east-1,eu-west-1,ap-south-1; EXEMPT_TABLES=tmp-*,dev-*;"
                + " RULE_MODES=ttl=remediate,tags=off; DECOMMISSION_WINDOW_HOURS=48; VERIFY_ACTORS=false ["
                + INNER + "] REMEDIATION_MODE=notify; ALLOWED_REGIONS=us-east-1,eu-central-1,eu-west-1; DECOMMISSION_WINDOW_HOURS=6");

        Function<String, String> unknown = overrides.unknownPath(B, DEFAULT);

        // Regions: only those every candidate allows; exemptions: only those every candidate grants.
        assertThat(unknown.apply(EnvVar.ALLOWED_REGIONS)).isEqualTo("us-east-1,eu-west-1");
        assertThat(unknown.apply(EnvVar.EXEMPT_TABLES)).isEqualTo("tmp-*");
        // Modes: remediate wins, rule by rule, under any pairing of a global mode and a rule's own.
        assertThat(unknown.apply(EnvVar.REMEDIATION_MODE)).isEqualTo("remediate");
        assertThat(unknown.apply(EnvVar.RULE_MODES)).isEqualTo("ttl=remediate,tags=remediate");
        assertThat(unknown.apply(EnvVar.DECOMMISSION_WINDOW_HOURS)).isEqualTo("6");
        // The default verifies actors (unset means true), so the OU's false cannot win.
        assertThat(unknown.apply(EnvVar.VERIFY_ACTORS)).isEqualTo("true");
    }

    @Test
    void unknownPath_shouldKeepTheAccountsOwnOverride_andTheStrictestForTheRest() {
        SettingsOverrides overrides = parse("[" + OUTER + "] ALLOWED_REGIONS=us-east-1 [" + A + "] ALLOWED_REGIONS=us-east-1,ap-south-1");

        assertThat(overrides.unknownPath(A, DEFAULT).apply(EnvVar.ALLOWED_REGIONS)).isEqualTo("us-east-1,ap-south-1");
        assertThat(overrides.unknownPath(B, DEFAULT).apply(EnvVar.ALLOWED_REGIONS)).isEqualTo("us-east-1");
        assertThat(overrides.unknownPath(B, DEFAULT).apply(EnvVar.EXEMPT_TABLES)).isEqualTo("scratch-*,tmp-*");
    }

    @Test
    void unknownPath_shouldPairEveryGlobalModeWithEveryRulesModes_andKeepTheStrictest() {
        // GIVEN a default in notify mode with tags off, and an OU that remediates but notifies ttl
        Map<String, String> notifying = Map.of(EnvVar.REMEDIATION_MODE, "notify", EnvVar.RULE_MODES, "tags=off");
        SettingsOverrides overrides = parse("[" + OUTER + "] REMEDIATION_MODE=remediate; RULE_MODES=ttl=notify");

        Function<String, String> unknown = overrides.unknownPath(B, notifying::get);

        // THEN remediate overall, and each named rule remediates: the OU's remediate paired with the default's modes
        // (which name no ttl) remediates ttl, and with its own (which name no tags) remediates tags. Stricter than
        // either real path, never laxer.
        assertThat(unknown.apply(EnvVar.REMEDIATION_MODE)).isEqualTo("remediate");
        assertThat(unknown.apply(EnvVar.RULE_MODES)).isEqualTo("tags=remediate,ttl=remediate");
    }

    @Test
    void unknownPath_shouldLeaveARuleOff_onlyWhereEveryCandidateTurnsItOff() {
        SettingsOverrides overrides = parse("[" + OUTER + "] RULE_MODES=ttl=off,tags=off [" + INNER + "] RULE_MODES=tags=off");
        Map<String, String> off = Map.of(EnvVar.REMEDIATION_MODE, "remediate", EnvVar.RULE_MODES, "tags=off");

        assertThat(overrides.unknownPath(B, off::get).apply(EnvVar.RULE_MODES)).isEqualTo("tags=off,ttl=remediate");
    }
}
