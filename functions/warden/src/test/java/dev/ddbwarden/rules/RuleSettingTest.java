package dev.ddbwarden.rules;

import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A rule's own settings travel through Settings as lines the rule alone parses. */
class RuleSettingTest {
    private static final RuleSetting<Integer> DAYS = RuleSetting.integer("SOME_RULE_DAYS", 1, 1, 35);
    private static final Map<String, String> ENV = Map.of("ALLOWED_REGIONS", "us-east-1", "SOME_RULE_DAYS", " 7 ",
            "OTHER", "x");

    @Test
    void aDeclaredSetting_shouldBeCarried_andParsedByItsRule() {
        Settings settings = Settings.from(ENV::get, Set.of("SOME_RULE_DAYS"));
        assertThat(settings.ruleSetting("SOME_RULE_DAYS")).contains("7");
        assertThat(settings.ruleSetting("OTHER")).isEmpty();
        assertThat(DAYS.in(settings)).isEqualTo(7);
    }

    @Test
    void anUnsetSetting_shouldGiveTheDefault() {
        assertThat(DAYS.in(Settings.from(ENV::get))).isEqualTo(1);
    }

    @Test
    void aValueTheRuleRefuses_shouldThrowNamingTheSetting() {
        for (String bad : new String[]{"0", "36", "seven"}) {
            Settings settings = Settings.from(Map.of("ALLOWED_REGIONS", "us-east-1", "SOME_RULE_DAYS", bad)::get,
                    Set.of("SOME_RULE_DAYS"));
            assertThatThrownBy(() -> DAYS.in(settings)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("SOME_RULE_DAYS").hasMessageContaining(bad);
        }
    }

    @Test
    void settingsThatDifferOnlyInARuleSetting_shouldDiffer_soAChangeReachesTheFunctions() {
        Settings one = Settings.from(ENV::get, Set.of("SOME_RULE_DAYS"));
        Settings other = Settings.from(Map.of("ALLOWED_REGIONS", "us-east-1", "SOME_RULE_DAYS", "8")::get,
                Set.of("SOME_RULE_DAYS"));
        assertThat(one).isNotEqualTo(other);
    }
}
