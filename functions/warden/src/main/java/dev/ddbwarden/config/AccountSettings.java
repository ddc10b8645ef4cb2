package dev.ddbwarden.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The settings each account runs with: the default with the overrides that apply to it ({@link SettingsOverrides}).
 * Every override is validated when the settings are read, as the default is: each account's and each OU's over the
 * default, and what an account whose OU cannot be read runs with, so that a bad override refuses the whole reading
 * (the last good one stays). An account on a path of several overridden OUs gets its settings built on first use;
 * should they fail a check, the account runs with the fail-closed ones, saying so.
 */
public final class AccountSettings {
    private static final Logger LOG = LoggerFactory.getLogger(AccountSettings.class);
    /** Distinct (account, path) settings kept; past it they are built again, which is cheap. */
    private static final int MAX_KEPT = 10_000;
    /** The key of the settings of an account with no override, whose OU cannot be read. */
    private static final String ANY_ACCOUNT = "";

    private final Settings defaults;
    private final SettingsOverrides overrides;
    private final Function<String, String> values;
    private final Function<Function<String, String>, Settings> build;
    /** Each account's and each OU's override over the default, validated. */
    private final Map<String, Settings> scoped;
    /** What each overridden account, and any other ({@link #ANY_ACCOUNT}), runs with when its OU cannot be read. */
    private final Map<String, Settings> unknownPath;
    private final Map<List<String>, Settings> onPath = new ConcurrentHashMap<>();
    private final Consumer<Settings> checks;

    private AccountSettings(Settings defaults, SettingsOverrides overrides, Function<String, String> values,
                            Function<Function<String, String>, Settings> build, Consumer<Settings> checks) {
        this.defaults = defaults;
        this.overrides = overrides;
        this.values = values;
        this.build = build;
        this.checks = checks;
        this.scoped = new LinkedHashMap<>();
        this.unknownPath = new LinkedHashMap<>();
        for (String scope : overrides.named()) {
            boolean account = !scope.startsWith("ou-");
            scoped.put(scope, variant(scope, account
                    ? overrides.values(scope, List.of(), values) : overrides.values(ANY_ACCOUNT, List.of(scope), values)));
            if (account && overrides.namesOus()) {
                unknownPath.put(scope, variant(scope + " (its OU unread)", overrides.unknownPath(scope, values)));
            }
        }
        if (overrides.namesOus()) {
            unknownPath.put(ANY_ACCOUNT, variant("an account whose OU cannot be read", overrides.unknownPath(ANY_ACCOUNT, values)));
        }
    }

    /** No override: every account runs with {@code defaults}. */
    static AccountSettings none(Settings defaults) {
        return new AccountSettings(defaults, SettingsOverrides.none(), name -> null, v -> defaults, s -> { });
    }

    /**
     * @param values       the default's values, which carry SETTINGS_OVERRIDES too
     * @param defaults     the settings {@code values} give
     * @param ruleSettings the names of the settings the rules declare
     * @param checks       what every reading must pass besides Settings' own validation
     * @throws ConfigException when an override is not understood or gives settings that do not validate
     */
    static AccountSettings of(Function<String, String> values, Settings defaults, Collection<String> ruleSettings,
                              Consumer<Settings> checks) {
        SettingsOverrides overrides = SettingsOverrides.parse(values.apply(EnvVar.SETTINGS_OVERRIDES), ruleSettings);
        return new AccountSettings(defaults, overrides, values, v -> Settings.from(v, ruleSettings), checks);
    }

    private Settings variant(String scope, Function<String, String> scopeValues) {
        try {
            Settings settings = build.apply(scopeValues);
            checks.accept(settings);
            return settings;
        } catch (ConfigException e) {
            throw new ConfigException(SettingsOverrides.NAME, "for " + scope + ", " + e.getMessage());
        }
    }

    /** Runs a check on every account's and OU's settings as well as the default's. */
    void require(Consumer<Settings> check) {
        check.accept(defaults);
        List<Settings> all = new ArrayList<>(scoped.values());
        all.addAll(unknownPath.values());
        all.forEach(check);
        onPath.clear();
    }

    /**
     * The settings {@code account} runs with. OU membership is asked only when an override names an OU.
     *
     * @param paths the OUs above an account, nearest first; empty when they cannot be read
     */
    Settings forAccount(String account, Function<String, Optional<List<String>>> paths) {
        if (overrides.named().isEmpty()) {
            return defaults;
        }
        if (!overrides.namesOus()) {
            return scoped.getOrDefault(account, defaults);
        }
        Optional<List<String>> path = paths.apply(account);
        if (path.isEmpty()) {
            Settings strict = unknownPath.getOrDefault(account, unknownPath.get(ANY_ACCOUNT));
            LOG.warn("the OUs of account {} cannot be read: it runs with the strictest of the default and every OU "
                    + "override{}", account, scoped.containsKey(account) ? ", under its own override" : "");
            return strict;
        }
        List<String> overridden = path.get().stream().filter(scoped::containsKey).toList();
        if (overridden.isEmpty()) {
            return scoped.getOrDefault(account, defaults);
        }
        if (overridden.size() == 1 && !scoped.containsKey(account)) {
            return scoped.get(overridden.get(0));
        }
        List<String> key = new ArrayList<>(overridden);
        key.add(0, account);
        if (onPath.size() > MAX_KEPT) {
            onPath.clear();
        }
        return onPath.computeIfAbsent(key, k -> onPath(account, overridden));
    }

    private Settings onPath(String account, List<String> overridden) {
        try {
            return variant(account + " under " + String.join(", ", overridden), overrides.values(account, overridden, values));
        } catch (ConfigException e) {
            LOG.error("account {} under {}: {}; it runs with the settings of an account whose OU cannot be read",
                    account, overridden, e.getMessage());
            return unknownPath.getOrDefault(account, unknownPath.get(ANY_ACCOUNT));
        }
    }

    /** Equal when they carry the same default and overrides: a re-read that changed nothing is the same. */
    @Override
    public boolean equals(Object other) {
        return other instanceof AccountSettings that && defaults.equals(that.defaults) && overrides.equals(that.overrides);
    }

    @Override
    public int hashCode() {
        return defaults.hashCode() * 31 + overrides.hashCode();
    }

    @Override
    public String toString() {
        return overrides.named().isEmpty() ? "no overrides" : "overrides for " + String.join(", ", overrides.named());
    }
}
