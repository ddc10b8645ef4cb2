package dev.ddbwarden.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Each rule's own mode, from {@code RULE_MODES} ({@code point-in-time-recovery=notify,public-access=off}); a rule
 * not named runs as {@code REMEDIATION_MODE} says. Anything not understood (an unknown mode, a rule named twice,
 * a rule no registry knows) refuses the whole setting: a typo must never quietly relax a rule.
 *
 * @param byRule the modes as written, in their order
 */
public record RuleModes(Map<String, RuleMode> byRule) {
    /** Rule names as the alerts and the registry write them. */
    private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*");

    public RuleModes {
        byRule = Collections.unmodifiableMap(new LinkedHashMap<>(byRule));
    }

    /** No rule named: every rule as {@code REMEDIATION_MODE} says. */
    public static RuleModes none() {
        return new RuleModes(Map.of());
    }

    /** @throws ConfigException naming RULE_MODES when an entry is not {@code rule=mode} or names a rule twice */
    static RuleModes parse(String raw) {
        Map<String, RuleMode> modes = new LinkedHashMap<>();
        for (String entry : (raw == null ? "" : raw).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String rule = equals < 0 ? entry.trim() : entry.substring(0, equals).trim();
            String word = equals < 0 ? "" : entry.substring(equals + 1).trim();
            if (!RULE.matcher(rule).matches() || equals < 0) {
                throw new ConfigException(EnvVar.RULE_MODES, "'" + entry.trim() + "' is not rule=mode");
            }
            RuleMode mode = RuleMode.of(word).orElseThrow(() -> new ConfigException(EnvVar.RULE_MODES,
                    "'" + word + "' (for " + rule + ") is not a mode; use remediate, notify or off"));
            if (modes.put(rule, mode) != null) {
                throw new ConfigException(EnvVar.RULE_MODES, rule + " is given twice");
            }
        }
        return new RuleModes(modes);
    }

    /**
     * Refuses a rule no registry knows, so that {@code public-acess=off} stops the start instead of leaving
     * public-access on while its owner believes it off, or the reverse.
     *
     * @param known the names of the registered rules
     * @throws ConfigException naming RULE_MODES and the unknown names
     */
    public void requireKnown(Collection<String> known) {
        List<String> unknown = byRule.keySet().stream().filter(rule -> !known.contains(rule)).toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException(EnvVar.RULE_MODES, "no rule is named " + String.join(", ", unknown)
                    + "; the rules are " + known.stream().sorted().collect(Collectors.joining(", ")));
        }
    }

    /** The mode {@code rule} is given here, if it is named. */
    Optional<RuleMode> of(String rule) {
        return Optional.ofNullable(byRule.get(rule));
    }

    @Override
    public String toString() {
        return byRule.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().word()).collect(Collectors.joining(","));
    }

    /**
     * The mode a rule runs in, and the setting that decided it.
     *
     * @param setting {@code RULE_MODES} when the rule's own entry decided, else {@code REMEDIATION_MODE}
     */
    public record Applied(String rule, RuleMode mode, String setting) {

        public boolean remediates() {
            return mode == RuleMode.REMEDIATE;
        }

        public boolean off() {
            return mode == RuleMode.OFF;
        }

        /** Whether the rule's own RULE_MODES entry, not the global mode, decided. */
        public boolean byRule() {
            return setting.equals(EnvVar.RULE_MODES);
        }

        /** Who runs in this mode and which setting says so, for an alert or a log line. */
        public String describe() {
            return byRule()
                    ? "the " + rule + " rule runs in " + mode.word() + " mode (" + EnvVar.RULE_MODES + ": " + rule + "="
                            + mode.word() + ")"
                    : "ddb-warden runs in " + mode.word() + " mode (" + EnvVar.REMEDIATION_MODE + "=" + mode.word() + ")";
        }
    }
}
