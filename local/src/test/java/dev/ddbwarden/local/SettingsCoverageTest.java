package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.config.SweepSettings;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting each function reads is given to it, from a source that reaches {@code live}: either a line
 * of the settings parameter (read at run time), or an environment variable whose value no template Parameter
 * sets (the stack's own resources, its name, constants). What the functions read is recorded, not listed by
 * hand: the names Settings, SweepSettings and SettingsSource ask their lookup for, and every variable the
 * code names in a {@code getenv} or an environment lookup.
 */
class SettingsCoverageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCES = Project.ROOT.resolve("functions/warden/src/main/java");
    /** Set by the Lambda runtime in every function's environment (Lambda's "Defined runtime environment variables"). */
    private static final Set<String> RUNTIME = Set.of("AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_LOG_STREAM_NAME", "_X_AMZN_TRACE_ID");
    /** Every rule's function, the watcher and the sweep. */
    private static final Set<String> EVERY_FUNCTION = Stream.concat(Rules.all().stream().map(Rule::function),
            Stream.of("WatcherFunction", "SweepRegionFunction")).collect(Collectors.toUnmodifiableSet());
    /** Read, and deliberately unset where an unset value means "none". */
    private static final Map<String, Set<String>> UNSET_BY_DESIGN = Map.of(
            // The watcher defers nothing, the sweep's state machine retries its pages itself, and a rule that waits
            // for nothing (Rule.rechecks) has no queue.
            EnvVar.RECHECK_QUEUE_URL, Stream.concat(Stream.of("WatcherFunction", "SweepRegionFunction"), Rules.all().stream()
                    .filter(rule -> !rule.rechecks()).map(Rule::function)).collect(Collectors.toUnmodifiableSet()),
            // Metrics are on unless someone turns them off.
            "POWERTOOLS_METRICS_DISABLED", EVERY_FUNCTION,
            // Unset on Lambda, where WardenMetrics pins the EMF library to its Lambda environment; runs elsewhere set it.
            "AWS_EMF_ENVIRONMENT", EVERY_FUNCTION,
            // The watcher and the sweep run no single rule (WardenHandler reads it; they are other entry classes).
            EnvVar.RULE, Set.of("WatcherFunction", "SweepRegionFunction"));
    private static final Pattern LOOKUP = Pattern.compile("(?:getenv|apply)\\(\\s*(?:\"([A-Z_][A-Z0-9_]*)\"|(?:EnvVar\\.)?([A-Z_][A-Z0-9_]*))\\s*\\)");

    private static Template template;
    private static Set<String> parameters;
    private static Map<String, String> document;
    private static Set<String> read;

    @BeforeAll
    static void load() throws IOException {
        template = Project.template();
        parameters = template.parameters().keySet();
        document = SettingsParameter.of(template, new TemplateValues(template.parameters(), Map.of(), LocalAws.REGION,
                LocalAws.ACCOUNT)).map(SettingsParameter::settings).orElse(Map.of());
        read = new TreeSet<>();
        SettingsSource.of(name -> {
            read.add(name);
            return null;
        }, () -> {
            throw new AssertionError("no parameter is named, so none is read");
        }, Clock.systemUTC(), () -> { }, Rules.settingNames());
        Settings.from(name -> record(name), Rules.settingNames());
        SweepSettings.from(name -> record(name));
        read.addAll(namedInCode());
    }

    private static String record(String name) {
        read.add(name);
        return null;
    }

    /** Variables the code names in System.getenv(...) or an environment lookup's apply(...), constants resolved. */
    private static Set<String> namedInCode() throws IOException {
        Set<String> names = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String source = Files.readString(file);
            Matcher matcher = LOOKUP.matcher(source);
            while (matcher.find()) {
                if (matcher.group(1) != null) {
                    names.add(matcher.group(1));
                } else {
                    // A constant of this file, or of EnvVar when the lookup names it so.
                    String home = matcher.group().contains("EnvVar.")
                            ? Files.readString(SOURCES.resolve("dev/ddbwarden/config/EnvVar.java")) : source;
                    Matcher constant = Pattern.compile("\\b" + matcher.group(2) + "\\s*=\\s*\"([A-Z_][A-Z0-9_]*)\"")
                            .matcher(home);
                    if (constant.find()) {
                        names.add(constant.group(1));
                    }
                }
            }
        }
        return names;
    }

    @Test
    void whatTheFunctionsRead_shouldBeRecorded() {
        // The recording must see the settings that matter, or the test below proves nothing.
        assertThat(read).contains(EnvVar.SETTINGS_PARAMETER, EnvVar.REMEDIATION_MODE, EnvVar.ALLOWED_REGIONS,
                EnvVar.EXEMPT_TABLES, SweepSettings.SWEEP_REPORT_ONLY, EnvVar.RULE, "POWERTOOLS_METRICS_NAMESPACE");
    }

    @Test
    void everySettingEachFunctionReads_shouldBeCovered_byTheDocumentOrAnEnvironmentNoParameterSets() {
        List<String> uncovered = new ArrayList<>();
        for (String function : template.functionIds()) {
            Map<String, Object> environment = template.function(function).orElseThrow().environment();
            for (String name : read) {
                if (document.containsKey(name)) {
                    if (environment.containsKey(name)) {
                        uncovered.add(function + " " + name + ": in the document and in the environment");
                    }
                } else if (environment.containsKey(name)) {
                    if (SettingsReachLiveIT.readsParameter(JSON.valueToTree(environment.get(name)), parameters)) {
                        uncovered.add(function + " " + name + ": set from a Parameter, which never reaches live");
                    }
                } else if (!RUNTIME.contains(name) && !UNSET_BY_DESIGN.getOrDefault(name, Set.of()).contains(function)) {
                    uncovered.add(function + " " + name + ": given by neither");
                }
            }
        }
        assertThat(uncovered).isEmpty();
    }

    /** A setting a rule declares in its package reaches the functions only as a line of the settings parameter. */
    @Test
    void everySettingARuleDeclares_shouldBeALineOfTheSettingsParameter_thatARuleRead() {
        for (Rule rule : Rules.all()) {
            for (RuleSetting<?> setting : rule.settings()) {
                assertThat(document).as(rule.name() + "'s " + setting.name()).containsKey(setting.name());
                assertThat(read).as(rule.name() + "'s " + setting.name()).contains(setting.name());
            }
        }
    }

    @Test
    void everyDocumentLine_shouldBeASettingTheFunctionsRead() {
        assertThat(document).containsKeys(EnvVar.REMEDIATION_MODE, EnvVar.ALLOWED_REGIONS);
        assertThat(read).containsAll(document.keySet());
    }
}
