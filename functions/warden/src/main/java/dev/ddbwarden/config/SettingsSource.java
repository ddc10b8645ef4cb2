package dev.ddbwarden.config;

import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a function's settings come from while it runs. A version published by {@code AutoPublishAlias}
 * keeps the environment it was published with, and SAM publishes a new one only when its hash of the
 * function changes, a hash that does not resolve the template's Parameters (SAM issues 1640, 3820): a
 * setting in the environment would never reach {@code live}. So the settings the Parameters give live in
 * one SSM parameter, named by {@code SETTINGS_PARAMETER}, read when the function starts (a document that
 * cannot be read or used fails the start, and with it SnapStart's publishing), again after a SnapStart
 * restore, and again once {@link #MAX_AGE} has passed, so that {@code live} runs the last deploy's settings
 * within minutes. A re-read that fails or yields settings that do not validate keeps the last good ones,
 * logs an error and counts {@code SettingsReadFailures}: a broken parameter never relaxes to defaults.
 * Keys the document carries are read from it alone; others (the stack's own resources) from the environment.
 * Without {@code SETTINGS_PARAMETER} everything comes from the environment, as for {@code sam local invoke}
 * and the tests. The same reading carries each account's settings ({@code SETTINGS_OVERRIDES},
 * {@link AccountSettings}), validated and checked with it, so a bad override is refused as a bad default is.
 *
 * <p>GetParameter is called with the SDK's SsmClient rather than powertools-parameters-ssm: that provider's
 * clock is package-private (tests could not control expiry), it has no way to force the re-read a restore
 * needs, and a failed read after expiry throws instead of keeping the last good value, so the caching
 * here would be ours anyway; the provider would only add its own jar, kept whole in the shaded artifact.
 */
public final class SettingsSource implements Resource {
    /** How long settings are used before the parameter is read again. */
    public static final Duration MAX_AGE = Duration.ofMinutes(1);
    /** The metric a failed re-read counts. */
    public static final String FAILURE_METRIC = "SettingsReadFailures";
    private static final Logger LOG = LoggerFactory.getLogger(SettingsSource.class);

    /**
     * One consistent reading: the default settings, the sweep's own, and each account's (the default with the
     * overrides of SETTINGS_OVERRIDES that apply to it, from the same document).
     */
    public record Current(Settings settings, SweepSettings sweep, AccountSettings accounts) {
    }

    private final Function<String, String> environment;
    /** The parameter's text; null when the environment is the only source. */
    private final Supplier<String> document;
    private final Clock clock;
    private final Runnable failed;
    private final List<Consumer<Settings>> checks = new ArrayList<>();
    /** The names of the settings the rules declare, carried into {@link Settings#ruleSettings}. */
    private final Set<String> ruleSettings;
    /** The OUs above an account, asked only when an override names an OU. */
    private final OuPaths ous;
    private Current current;
    private Instant readAt;

    SettingsSource(Function<String, String> environment, Supplier<String> document, Clock clock, Runnable failed) {
        this(environment, document, clock, failed, Set.of(), OuPaths.unknown());
    }

    SettingsSource(Function<String, String> environment, Supplier<String> document, Clock clock, Runnable failed,
                   Set<String> ruleSettings, OuPaths ous) {
        this.ruleSettings = Set.copyOf(ruleSettings);
        this.ous = ous;
        this.environment = environment;
        this.document = document;
        this.clock = clock;
        this.failed = failed;
        this.current = load();
        this.readAt = clock.instant();
    }

    /** Settings that never change (tests, local runs). */
    public static SettingsSource fixed(Settings settings) {
        return fixed(settings, SweepSettings.from(name -> null));
    }

    /** Settings and sweep settings that never change. */
    public static SettingsSource fixed(Settings settings, SweepSettings sweep) {
        SettingsSource source = new SettingsSource(name -> null, null, Clock.systemUTC(), () -> { });
        source.current = new Current(settings, sweep, AccountSettings.none(settings));
        return source;
    }

    /**
     * The source a function's environment names: the parameter {@code SETTINGS_PARAMETER} names, read with
     * {@code ssm}, or the environment alone when it is unset or empty.
     *
     * @param failed counts a failed re-read
     * @throws ConfigException when the settings cannot be read or do not validate: the function must not start
     */
    public static SettingsSource of(Function<String, String> environment, Supplier<SsmClient> ssm, Clock clock, Runnable failed) {
        return of(environment, ssm, clock, failed, Set.of(), OuPaths.unknown());
    }

    /**
     * A source whose overrides may name accounts only: an OU override leaves every account's OUs unknown, so each
     * runs with the strictest settings (the local runner, which simulates no Organization).
     *
     * @param ruleSettings the names of the settings the rules declare
     */
    public static SettingsSource of(Function<String, String> environment, Supplier<SsmClient> ssm, Clock clock, Runnable failed,
                                    Set<String> ruleSettings) {
        return of(environment, ssm, clock, failed, ruleSettings, OuPaths.unknown());
    }

    /**
     * @param ruleSettings the names of the settings the rules declare
     * @param ous          the OUs above an account, for the overrides that name OUs
     */
    public static SettingsSource of(Function<String, String> environment, Supplier<SsmClient> ssm, Clock clock, Runnable failed,
                                    Set<String> ruleSettings, OuPaths ous) {
        String name = environment.apply(EnvVar.SETTINGS_PARAMETER);
        if (name == null || name.isBlank()) {
            return new SettingsSource(environment, null, clock, failed, ruleSettings, ous);
        }
        Lazy<SsmClient> client = Lazy.of(ssm);
        return new SettingsSource(environment, () -> read(client.get(), name.trim()), clock, failed, ruleSettings, ous);
    }

    private static String read(SsmClient ssm, String name) {
        return ssm.getParameter(r -> r.name(name)).parameter().value();
    }

    /** The settings to use now: read again first when {@link #MAX_AGE} has passed since the last reading. */
    public synchronized Current current() {
        if (document != null && !clock.instant().isBefore(readAt.plus(MAX_AGE))) {
            refresh();
        }
        return current;
    }

    /**
     * The settings {@code account} runs with now: the default with the overrides that apply to it, asking AWS
     * Organizations for its OUs only when an override names an OU.
     */
    public Settings forAccount(String account) {
        return current().accounts().forAccount(account, ous);
    }

    /**
     * Adds a check every reading must pass (a handler's own demands on its settings), and runs it on the
     * current settings at once.
     *
     * @throws ConfigException when the current settings fail it
     */
    public synchronized void require(Consumer<Settings> check) {
        current.accounts().require(check);
        checks.add(check);
    }

    /** Reads the parameter again now, keeping the last good settings if that fails. */
    public synchronized void refresh() {
        if (document == null) {
            return;
        }
        try {
            Current loaded = load();
            if (!loaded.equals(current)) {
                LOG.info("settings changed: {}", loaded);
                current = loaded;
            }
        } catch (RuntimeException e) {
            LOG.error("the settings parameter could not be read or used, so the last good settings stay: {}", e.toString());
            failed.run();
        } finally {
            readAt = clock.instant();
        }
    }

    private Current load() {
        Function<String, String> values = environment;
        if (document != null) {
            Map<String, String> carried = SettingsDocument.parse(document.get());
            values = name -> carried.containsKey(name) ? carried.get(name) : environment.apply(name);
        }
        Settings settings = Settings.from(values, ruleSettings);
        for (Consumer<Settings> check : checks) {
            check.accept(settings);
        }
        // Every override is validated and checked now, as the default is: a bad one refuses this reading.
        AccountSettings accounts = AccountSettings.of(values, settings, ruleSettings, this::check);
        return new Current(settings, SweepSettings.from(values), accounts);
    }

    private void check(Settings settings) {
        checks.forEach(check -> check.accept(settings));
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing to let go: the SDK client reconnects by itself after a restore.
    }

    /** A restored snapshot may be days old: its settings are read again before it serves an event. */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        refresh();
    }

    @Override
    public String toString() {
        return "SettingsSource[" + (document == null ? "environment" : "parameter") + "]";
    }
}
