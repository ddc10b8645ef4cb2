package dev.ddbwarden.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The strictest of several values of one setting, for an account whose OU cannot be read: any OU override might be
 * on its path, so each setting is the one that protects most among the default's and every OU override's. Only the
 * settings with such an order may be set for an OU ({@link SettingsOverrides}); the order of each:
 * <ul>
 *   <li>the modes: each rule the strictest mode any pairing of a REMEDIATION_MODE with a RULE_MODES among the
 *       candidates gives it (remediate over notify over off), REMEDIATION_MODE remediate if any candidate's is;</li>
 *   <li>lists that spare (EXEMPT_TABLES, APPROVED_PRINCIPALS, TRUSTED_ACCOUNTS, TRUSTED_ORG_IDS,
 *       QUARANTINE_EXEMPT_PRINCIPALS) and ALLOWED_REGIONS: the entries every candidate holds, as written (two globs
 *       that overlap but differ spare nothing: narrower than their overlap, never wider);</li>
 *   <li>VERIFY_ACTORS: true unless every candidate is false; DECOMMISSION_WINDOW_HOURS: the shortest.</li>
 * </ul>
 */
final class Strictest {
    static final Set<String> ORDERED = Set.of(EnvVar.REMEDIATION_MODE, EnvVar.RULE_MODES, EnvVar.EXEMPT_TABLES,
            EnvVar.APPROVED_PRINCIPALS, EnvVar.ALLOWED_REGIONS, EnvVar.TRUSTED_ACCOUNTS, EnvVar.TRUSTED_ORG_IDS,
            EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, EnvVar.VERIFY_ACTORS, EnvVar.DECOMMISSION_WINDOW_HOURS);
    private static final Set<String> LISTS = Set.of(EnvVar.EXEMPT_TABLES, EnvVar.APPROVED_PRINCIPALS,
            EnvVar.ALLOWED_REGIONS, EnvVar.TRUSTED_ACCOUNTS, EnvVar.TRUSTED_ORG_IDS, EnvVar.QUARANTINE_EXEMPT_PRINCIPALS);

    private Strictest() {
    }

    /**
     * @param candidates every value a setting may have for the account (null for unset), the default's first
     * @param defaults   the default's values, for the settings no override may set
     */
    static Function<String, String> of(Function<String, List<String>> candidates, Function<String, String> defaults) {
        return name -> {
            List<String> values = candidates.apply(name);
            if (values.size() == 1 || !ORDERED.contains(name)) {
                return values.isEmpty() ? defaults.apply(name) : values.get(0);
            }
            return switch (name) {
                case EnvVar.REMEDIATION_MODE -> globalMode(values);
                case EnvVar.RULE_MODES -> ruleModes(candidates.apply(EnvVar.REMEDIATION_MODE), values);
                case EnvVar.VERIFY_ACTORS -> values.stream().allMatch(v -> "false".equals(blank(v).toLowerCase(Locale.ROOT)))
                        ? "false" : "true";
                case EnvVar.DECOMMISSION_WINDOW_HOURS -> shortest(values);
                default -> LISTS.contains(name) ? common(values) : values.get(0);
            };
        };
    }

    private static String globalMode(List<String> values) {
        return values.stream().map(RemediationMode::parse).anyMatch(mode -> mode == RemediationMode.REMEDIATE)
                ? "remediate" : "notify";
    }

    private static String ruleModes(List<String> globals, List<String> values) {
        List<RemediationMode> modes = globals.stream().map(RemediationMode::parse).toList();
        List<RuleModes> byRule = values.stream().map(RuleModes::parse).toList();
        Set<String> rules = new LinkedHashSet<>();
        byRule.forEach(each -> rules.addAll(each.byRule().keySet()));
        List<String> entries = new ArrayList<>();
        for (String rule : rules) {
            RuleMode strictest = RuleMode.OFF;
            for (RemediationMode global : modes) {
                for (RuleModes own : byRule) {
                    RuleMode mode = effective(global, own, rule);
                    strictest = mode.ordinal() < strictest.ordinal() ? mode : strictest;
                }
            }
            entries.add(rule + "=" + strictest.word());
        }
        return String.join(",", entries);
    }

    /** What {@link Settings#modeOf} gives {@code rule} under one pairing. */
    private static RuleMode effective(RemediationMode global, RuleModes own, String rule) {
        RuleMode named = own.of(rule).orElse(RuleMode.REMEDIATE);
        if (named != RuleMode.REMEDIATE) {
            return named;
        }
        return global == RemediationMode.NOTIFY ? RuleMode.NOTIFY : RuleMode.REMEDIATE;
    }

    private static String common(List<String> values) {
        List<Set<String>> lists = values.stream().map(value -> (Set<String>) new LinkedHashSet<>(items(value))).toList();
        Set<String> kept = new LinkedHashSet<>(lists.get(0));
        lists.forEach(kept::retainAll);
        return String.join(",", kept);
    }

    private static String shortest(List<String> values) {
        int shortest = Integer.MAX_VALUE;
        for (String value : values) {
            String raw = blank(value);
            try {
                shortest = Math.min(shortest, raw.isEmpty() ? Settings.DEFAULT_DECOMMISSION_HOURS : Integer.parseInt(raw));
            } catch (NumberFormatException e) {
                // Settings refuses it with its own message.
                return raw;
            }
        }
        return Integer.toString(shortest);
    }

    private static List<String> items(String value) {
        return Arrays.stream(blank(value).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }

    private static String blank(String value) {
        return value == null ? "" : value.strip();
    }
}
