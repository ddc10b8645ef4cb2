package dev.ddbwarden.config;

import dev.ddbwarden.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each account's settings as the settings source gives them: validated like the default when read (a bad override
 * refuses the reading and keeps the last good one), OU membership asked only when an override names an OU, and an
 * account whose OU cannot be read judged by the strictest settings.
 */
class AccountSettingsTest {
    private static final String A = "111111111111";
    private static final String B = "222222222222";
    private static final String C = "333333333333";
    private static final String REGULATED = "ou-ab12-aaaaaaaa";
    private static final String BASE = "REMEDIATION_MODE=remediate\nALLOWED_REGIONS=us-east-1,eu-west-1\nEXEMPT_TABLES=scratch-*\n";

    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));
    private final AtomicReference<String> document = new AtomicReference<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger asked = new AtomicInteger();
    private final Map<String, Optional<List<String>>> ous = new HashMap<>();

    private SettingsSource source() {
        return new SettingsSource(name -> null, document::get, clock, failures::incrementAndGet, Set.of("MIN_PITR_DAYS"),
                new OuPaths(child -> {
                    asked.incrementAndGet();
                    Optional<List<String>> path = ous.getOrDefault(child, Optional.empty());
                    return path.map(p -> p.isEmpty() ? new OuPaths.Parent("r-ab12", true) : new OuPaths.Parent(p.get(0), false))
                            .orElseThrow(() -> new IllegalStateException("AccessDeniedException"));
                }, clock));
    }

    @Test
    void forAccount_shouldGiveEachAccountItsOwn_andTheDefaultToOthers_withoutAskingOrganizations() {
        document.set(BASE + "SETTINGS_OVERRIDES=[" + A + "] ALLOWED_REGIONS=us-east-1,ap-southeast-2; RULE_MODES=ttl=off"
                + " [" + B + "] REMEDIATION_MODE=notify; EXEMPT_TABLES=");
        SettingsSource source = source();

        Settings a = source.forAccount(A);
        Settings b = source.forAccount(B);
        Settings other = source.forAccount(C);

        assertThat(a.allowedRegions()).containsExactly("us-east-1", "ap-southeast-2");
        assertThat(a.modeOf("ttl").off()).isTrue();
        assertThat(a.isExempt("scratch-1")).isTrue();
        assertThat(b.allowedRegions()).containsExactly("us-east-1", "eu-west-1");
        assertThat(b.modeOf("ttl").mode()).isEqualTo(RuleMode.NOTIFY);
        assertThat(b.isExempt("scratch-1")).isFalse();
        assertThat(other).isSameAs(source.current().settings());
        // The same object while the reading stays: pipelines are built once per account's settings.
        assertThat(source.forAccount(A)).isSameAs(a);
        assertThat(asked).hasValue(0);
    }

    @Test
    void aBadOverride_shouldStopTheStart_likeABadDefault() {
        document.set(BASE + "SETTINGS_OVERRIDES=[" + A + "] ALLOWED_REGIONS=us-east-1,mars-north-1");

        assertThatThrownBy(this::source).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SETTINGS_OVERRIDES").hasMessageContaining(A).hasMessageContaining("mars-north-1");
    }

    @Test
    void aBadOverride_onARead_shouldKeepTheLastGoodSettings_everyAccountsIncluded() {
        document.set(BASE + "SETTINGS_OVERRIDES=[" + A + "] RULE_MODES=ttl=notify");
        SettingsSource source = source();
        source.require(settings -> settings.ruleModes().requireKnown(List.of("ttl", "tags")));

        // WHEN the deployer writes an OU override naming a rule no registry has
        document.set(BASE + "SETTINGS_OVERRIDES=[" + A + "] RULE_MODES=ttl=off [" + REGULATED + "] RULE_MODES=tgs=off");
        clock.advance(SettingsSource.MAX_AGE);

        // THEN the reading is refused as a whole: A keeps notify, not the new reading's off
        assertThat(source.forAccount(A).modeOf("ttl").mode()).isEqualTo(RuleMode.NOTIFY);
        assertThat(failures).hasValue(1);
    }

    @Test
    void require_shouldCheckEveryOverride_notOnlyTheDefault() {
        document.set(BASE + "SETTINGS_OVERRIDES=[" + REGULATED + "] ALLOWED_REGIONS=eu-west-1");
        SettingsSource source = source();

        assertThatThrownBy(() -> source.require(settings -> AllowedRegions.require(settings.allowedRegions(), "us-east-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ALLOWED_REGIONS");
    }

    @Test
    void anOuOverride_shouldReachTheAccountsUnderIt_andTheAccountsOwnShouldWin() {
        document.set(BASE + "SETTINGS_OVERRIDES=[" + REGULATED + "] ALLOWED_REGIONS=us-east-1; EXEMPT_TABLES="
                + " [" + A + "] EXEMPT_TABLES=legacy-*");
        ous.put(A, Optional.of(List.of(REGULATED)));
        ous.put(REGULATED, Optional.of(List.of()));
        ous.put(B, Optional.of(List.of(REGULATED)));
        ous.put(C, Optional.of(List.of()));
        SettingsSource source = source();

        Settings a = source.forAccount(A);
        Settings b = source.forAccount(B);
        Settings c = source.forAccount(C);

        assertThat(a.allowedRegions()).containsExactly("us-east-1");
        assertThat(a.isExempt("legacy-1")).isTrue();
        assertThat(b.allowedRegions()).containsExactly("us-east-1");
        assertThat(b.isExempt("scratch-1")).isFalse();
        assertThat(c).isSameAs(source.current().settings());
    }

    @Test
    void anAccountWhoseOuCannotBeRead_shouldRunWithTheStrictestOfTheDefaultAndEveryOu() {
        // GIVEN one OU narrows the regions and one relaxes the exemptions and turns ttl off
        document.set(BASE + "SETTINGS_OVERRIDES=[" + REGULATED + "] ALLOWED_REGIONS=us-east-1"
                + " [ou-ab12-cccccccc] EXEMPT_TABLES=scratch-*,sandbox-*; RULE_MODES=ttl=off");
        SettingsSource source = source();

        // WHEN ListParents is refused for C
        Settings c = source.forAccount(C);

        // THEN C gets neither relaxation and the narrower regions
        assertThat(c.allowedRegions()).containsExactly("us-east-1");
        assertThat(c.isExempt("sandbox-1")).isFalse();
        assertThat(c.isExempt("scratch-1")).isTrue();
        assertThat(c.modeOf("ttl").remediates()).isTrue();
    }

    @Test
    void nestedOus_shouldGiveTheNearestOusSetting() {
        String inner = "ou-ab12-dddddddd";
        document.set(BASE + "SETTINGS_OVERRIDES=[" + REGULATED + "] RULE_MODES=ttl=notify; ALLOWED_REGIONS=us-east-1"
                + " [" + inner + "] RULE_MODES=ttl=off");
        ous.put(A, Optional.of(List.of(inner)));
        ous.put(inner, Optional.of(List.of(REGULATED)));
        ous.put(REGULATED, Optional.of(List.of()));
        SettingsSource source = source();

        Settings a = source.forAccount(A);

        assertThat(a.modeOf("ttl").off()).isTrue();
        assertThat(a.allowedRegions()).containsExactly("us-east-1");
    }

}
