package dev.ddbwarden.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings one account or OU runs with where they differ from the default, from {@code SETTINGS_OVERRIDES}:
 * {@code [111122223333] ALLOWED_REGIONS=eu-west-1; RULE_MODES=ttl=off [ou-ab12-cdefgh34] REMEDIATION_MODE=notify}.
 * One line, because the settings parameter is one {@code KEY=value} line per setting (the stack writes it from a
 * Parameter, so only the deployer does); {@code ;} ends a setting because no setting's value holds one.
 *
 * <p>Precedence, setting by setting: the account's own override, else the nearest OU on the account's path to the
 * root that sets it, else the default. OU overrides may set only the settings {@link Strictest} can order, because
 * an account whose OU cannot be read is judged by the strictest of the default and every OU override
 * ({@link #unknownPath}); its own account override still applies over that.
 *
 * @param scopes each account or OU ID with its settings as written, in their order
 */
record SettingsOverrides(Map<String, Map<String, String>> scopes) {
    /** The setting's name. */
    static final String NAME = EnvVar.SETTINGS_OVERRIDES;
    private static final Pattern SCOPE = Pattern.compile("\\[([^\\]]*)]");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** AWS Organizations' pattern for an OU ID (API_ListParents, ChildId). */
    private static final Pattern OU = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
    /** Settings an account may change besides the ordered ones: the breaker's limit (no order) and the rules' own. */
    private static final Set<String> ACCOUNT_ONLY = Set.of(EnvVar.FIX_LIMIT_PER_HOUR);

    SettingsOverrides {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        scopes.forEach((scope, values) -> copy.put(scope, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        scopes = Collections.unmodifiableMap(copy);
    }

    static SettingsOverrides none() {
        return new SettingsOverrides(Map.of());
    }

    /**
     * Reads the setting's text; only the shape and the keys are checked here, the values being Settings' to validate
     * (see {@link AccountSettings}).
     *
     * @param ruleSettings the names of the settings the rules declare, which an account's override may set
     * @throws ConfigException naming SETTINGS_OVERRIDES when anything is not understood
     */
    static SettingsOverrides parse(String text, Collection<String> ruleSettings) {
        String raw = text == null ? "" : text.strip();
        Map<String, Map<String, String>> scopes = new LinkedHashMap<>();
        Matcher scope = SCOPE.matcher(raw);
        int end = 0;
        String id = null;
        List<String> bodies = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (scope.find()) {
            if (id == null && !raw.substring(0, scope.start()).isBlank()) {
                throw new ConfigException(NAME, "'" + excerpt(raw.substring(0, scope.start())) + "' is outside any [account or OU ID]");
            }
            if (id != null) {
                bodies.add(raw.substring(end, scope.start()));
            }
            id = scope.group(1).strip();
            ids.add(id);
            end = scope.end();
        }
        if (id == null) {
            if (!raw.isEmpty()) {
                throw new ConfigException(NAME, "names no [account or OU ID]");
            }
            return none();
        }
        bodies.add(raw.substring(end));
        for (int i = 0; i < ids.size(); i++) {
            String at = ids.get(i);
            if (!ACCOUNT.matcher(at).matches() && !OU.matcher(at).matches()) {
                throw new ConfigException(NAME, "'" + excerpt(at) + "' is neither a 12-digit account ID nor an OU ID (ou-...)");
            }
            if (scopes.put(at, settings(at, bodies.get(i), ruleSettings)) != null) {
                throw new ConfigException(NAME, at + " is given twice");
            }
        }
        return new SettingsOverrides(scopes);
    }

    private static Map<String, String> settings(String scope, String body, Collection<String> ruleSettings) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean ou = OU.matcher(scope).matches();
        for (String entry : body.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String key = equals < 0 ? entry.strip() : entry.substring(0, equals).strip();
            if (equals < 0) {
                throw new ConfigException(NAME, "'" + excerpt(entry.strip()) + "' (for " + scope + ") is not KEY=value");
            }
            boolean ordered = Strictest.ORDERED.contains(key);
            if (ou && !ordered) {
                throw new ConfigException(NAME, key + " (for " + scope + ") cannot be set for an OU: an account whose OU "
                        + "cannot be read takes the strictest of each setting, and " + key + " has no order; set it per account");
            }
            if (!ordered && !ACCOUNT_ONLY.contains(key) && !ruleSettings.contains(key)) {
                throw new ConfigException(NAME, key + " (for " + scope + ") is not a setting an account may change");
            }
            if (values.put(key, entry.substring(equals + 1).strip()) != null) {
                throw new ConfigException(NAME, key + " is given twice for " + scope);
            }
        }
        if (values.isEmpty()) {
            throw new ConfigException(NAME, scope + " changes no setting");
        }
        return values;
    }

    boolean namesOus() {
        return scopes.keySet().stream().anyMatch(scope -> OU.matcher(scope).matches());
    }

    /** The accounts and OUs named, for a log line. */
    Set<String> named() {
        return scopes.keySet();
    }

    /**
     * The values an account on {@code path} runs with.
     *
     * @param path the OUs from the account's parent up to (not including) the root, nearest first
     */
    Function<String, String> values(String account, List<String> path, Function<String, String> defaults) {
        Map<String, String> own = scopes.getOrDefault(account, Map.of());
        return name -> {
            if (own.containsKey(name)) {
                return own.get(name);
            }
            for (String ou : path) {
                Map<String, String> set = scopes.getOrDefault(ou, Map.of());
                if (set.containsKey(name)) {
                    return set.get(name);
                }
            }
            return defaults.apply(name);
        };
    }

    /**
     * The values an account whose OUs cannot be read runs with: its own override where it sets a setting, else the
     * strictest of the default and every OU override, any of which might be on its path.
     */
    Function<String, String> unknownPath(String account, Function<String, String> defaults) {
        Map<String, String> own = scopes.getOrDefault(account, Map.of());
        List<Map<String, String>> ous = scopes.entrySet().stream()
                .filter(e -> OU.matcher(e.getKey()).matches()).map(Map.Entry::getValue).toList();
        Function<String, List<String>> candidates = name -> {
            if (own.containsKey(name)) {
                return List.of(own.get(name));
            }
            List<String> all = new ArrayList<>();
            all.add(defaults.apply(name));
            ous.stream().filter(set -> set.containsKey(name)).forEach(set -> all.add(set.get(name)));
            return all;
        };
        return Strictest.of(candidates, defaults);
    }

    /** Text from the setting, shortened for a message. */
    private static String excerpt(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
