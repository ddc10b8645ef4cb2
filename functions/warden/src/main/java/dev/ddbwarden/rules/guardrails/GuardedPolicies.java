package dev.ddbwarden.rules.guardrails;

import dev.ddbwarden.config.ConfigException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of the organization's policies are ddb-warden's guardrails, from the setting {@code GUARDRAIL_POLICIES}
 * (template parameter {@code GuardrailPolicies}): each entry a policy ID ({@code p-...}, found whatever its name) or
 * a name prefix ({@code ddb-warden-}, the default: scp/README.md creates each policy as {@code ddb-warden-} and its
 * file's name). A policy whose content still holds a shipped statement is one too, whatever this says.
 */
record GuardedPolicies(Set<String> ids, List<String> prefixes) {
    static final String SETTING = "GUARDRAIL_POLICIES";
    static final String DEFAULT_PREFIX = "ddb-warden-";
    static final GuardedPolicies DEFAULT = new GuardedPolicies(Set.of(), List.of(DEFAULT_PREFIX));
    /** AWS Organizations' pattern for a policy ID. */
    static final Pattern POLICY_ID = Pattern.compile("p-[0-9a-zA-Z_]{8,128}");
    /** A policy name is 1 to 128 ASCII characters; a prefix here has no comma (the list's separator) and no blank. */
    private static final Pattern PREFIX = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]{1,128}");

    GuardedPolicies {
        ids = Set.copyOf(ids);
        prefixes = List.copyOf(prefixes);
    }

    static GuardedPolicies parse(String raw) {
        Set<String> ids = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String entry : raw.split(",")) {
            String value = entry.strip();
            if (value.isEmpty()) {
                continue;
            }
            if (POLICY_ID.matcher(value).matches()) {
                ids.add(value);
            } else if (PREFIX.matcher(value).matches() && !value.startsWith("p-")) {
                prefixes.add(value);
            } else {
                throw new ConfigException(SETTING, "'" + value + "' is neither a policy ID (p- and 8 to 128 letters, digits"
                        + " or _) nor a policy name prefix (no blank, no comma)");
            }
        }
        if (ids.isEmpty() && prefixes.isEmpty()) {
            throw new ConfigException(SETTING, "name at least one policy ID or name prefix (the default is "
                    + DEFAULT_PREFIX + ")");
        }
        return new GuardedPolicies(ids, prefixes);
    }

    boolean byId(String policyId) {
        return ids.contains(policyId);
    }

    boolean byName(String name) {
        return prefixes.stream().anyMatch(name::startsWith);
    }
}
