package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RULE_MODES: each rule's own mode, REMEDIATION_MODE as the cap, and nothing misread ever relaxing a rule. */
class RuleModesTest {
    private static final List<String> REGISTERED = List.of("deletion-protection", "public-access", "region-guard");

    private static Settings settings(String remediationMode, String ruleModes) {
        Map<String, String> env = new HashMap<>();
        env.put(EnvVar.REMEDIATION_MODE, remediationMode);
        env.put(EnvVar.RULE_MODES, ruleModes);
        return Settings.from(env::get);
    }

    @Test
    void modeOf_shouldRemediateEveryRule_whenNothingIsSet() {
        // GIVEN neither setting
        Settings settings = Settings.from(name -> null);

        // WHEN / THEN every rule remediates, as before RULE_MODES existed
        for (String rule : REGISTERED) {
            assertThat(settings.modeOf(rule).mode()).as(rule).isEqualTo(RuleMode.REMEDIATE);
        }
        assertThat(settings.ruleModes().byRule()).isEmpty();
    }

    @ParameterizedTest(name = "REMEDIATION_MODE={0}, RULE_MODES={1} -> public-access {2} by {3}")
    @CsvSource({
            "remediate, '',                                      REMEDIATE, REMEDIATION_MODE",
            "notify,    '',                                      NOTIFY,    REMEDIATION_MODE",
            "remediate, public-access=notify,                    NOTIFY,    RULE_MODES",
            "remediate, public-access=off,                       OFF,       RULE_MODES",
            "remediate, public-access=remediate,                 REMEDIATE, RULE_MODES",
            // the global notify caps a rule that says remediate ...
            "notify,    public-access=remediate,                 NOTIFY,    REMEDIATION_MODE",
            // ... but never turns on a rule that is off
            "notify,    public-access=off,                       OFF,       RULE_MODES",
            "notify,    public-access=notify,                    NOTIFY,    RULE_MODES",
            // another rule's entry changes nothing for this one
            "remediate, region-guard=off,                        REMEDIATE, REMEDIATION_MODE",
            "remediate, ' region-guard = off , public-access = notify ', NOTIFY, RULE_MODES",
    })
    void modeOf_shouldApplyTheRulesOwnMode_cappedByRemediationMode(String global, String perRule, RuleMode expected,
                                                                   String decidedBy) {
        // GIVEN / WHEN
        RuleModes.Applied applied = settings(global, perRule).modeOf("public-access");

        // THEN
        assertThat(applied.mode()).isEqualTo(expected);
        assertThat(applied.setting()).isEqualTo(decidedBy);
        assertThat(applied.remediates()).isEqualTo(expected == RuleMode.REMEDIATE);
        assertThat(applied.off()).isEqualTo(expected == RuleMode.OFF);
    }

    @Test
    void describe_shouldNameTheSettingThatMadeTheRuleNotify() {
        assertThat(settings("remediate", "public-access=notify").modeOf("public-access").describe())
                .isEqualTo("the public-access rule runs in notify mode (RULE_MODES: public-access=notify)");
        assertThat(settings("notify", "").modeOf("public-access").describe())
                .isEqualTo("ddb-warden runs in notify mode (REMEDIATION_MODE=notify)");
    }

    @ParameterizedTest(name = "RULE_MODES=\"{0}\" is refused")
    @ValueSource(strings = {
            "public-access=disabled",        // not a mode: it must not read as off, nor as remediate
            "public-access=Off",             // the words are lower case, as RemediationMode's parameter allows
            "public-access",                 // no mode at all
            "=notify",                       // no rule
            "Public-Access=notify",          // not how a rule is named
            "public-access=notify,public-access=off", // which one? neither
            "public-access=notify;region-guard=off",
    })
    void from_shouldRefuseTheSetting_whenAnEntryIsNotUnderstood(String raw) {
        assertThatThrownBy(() -> settings("remediate", raw))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(EnvVar.RULE_MODES);
    }

    @Test
    void requireKnown_shouldRefuseARuleNoRegistryHas_andNameIt() {
        // GIVEN a typo for public-access
        RuleModes modes = settings("remediate", "public-acess=off,region-guard=notify").ruleModes();

        // WHEN / THEN the whole setting is refused, naming the typo and the rules there are
        assertThatThrownBy(() -> modes.requireKnown(REGISTERED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(EnvVar.RULE_MODES)
                .hasMessageContaining("public-acess")
                .hasMessageContaining("deletion-protection, public-access, region-guard");
    }

    @Test
    void requireKnown_shouldAcceptANewRule_onceTheRegistryNamesIt() {
        RuleModes modes = settings("remediate", "point-in-time-recovery=notify").ruleModes();

        assertThatThrownBy(() -> modes.requireKnown(REGISTERED)).isInstanceOf(ConfigException.class);
        modes.requireKnown(List.of("deletion-protection", "point-in-time-recovery"));
        assertThat(settings("remediate", "point-in-time-recovery=notify").modeOf("point-in-time-recovery").mode())
                .isEqualTo(RuleMode.NOTIFY);
    }

    @Test
    void withModeAndWithoutApprovals_shouldKeepTheRuleModes() {
        Settings settings = settings("remediate", "region-guard=off");

        assertThat(settings.withMode(RemediationMode.NOTIFY).modeOf("region-guard").off()).isTrue();
        assertThat(settings.withoutApprovals().modeOf("region-guard").off()).isTrue();
        assertThat(settings.withMode(RemediationMode.NOTIFY).modeOf("public-access").mode()).isEqualTo(RuleMode.NOTIFY);
    }
}
