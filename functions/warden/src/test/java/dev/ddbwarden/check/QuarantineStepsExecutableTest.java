package dev.ddbwarden.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.rules.regionguard.RegionGuardRemedy;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ddbwarden.TestEvents.DEVELOPER_ROLE;
import static dev.ddbwarden.TestEvents.call;
import static dev.ddbwarden.TestEvents.createTableIn;
import static dev.ddbwarden.TestEvents.tableIn;
import static dev.ddbwarden.TestEvents.tree;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the steps of every region-guard alert as written, command by command, as the principal the alert names,
 * against the quarantine statements ddb-warden really writes, judged by {@link QuarantineStatementEvaluationTest}'s
 * evaluator rather than by matching strings: under the default parameters (no security role exempt) and with one
 * exempt. Each way ("To release", "To move", ...) is run alone from the quarantined table, as a reader picks one.
 * The root user's one way through a policy that denies it is DynamoDB's documented exception: "the root principal
 * in your AWS account can perform DeleteResourcePolicy requests, even if your resource-based policy explicitly
 * denies the root principal's access" (DynamoDB API Reference, DeleteResourcePolicy); nothing else is granted it.
 */
class QuarantineStepsExecutableTest {
    private static final String SECURITY_ROLE = "arn:aws:iam::123456789012:role/security/incident-responder";
    private static final String ROOT = "arn:aws:iam::123456789012:root";
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:05Z");
    private static final TableRef COPY = tableIn("ap-southeast-2", "customer-copy");
    private static final String STREAM = COPY.arn() + "/stream/2024-05-01T12:00:00.000";
    private static final Pattern WHO = Pattern.compile("Who can act on it: (\\S+?)[,.]");
    private static final Pattern OPTION = Pattern.compile("(?<!\\S)--([a-z-]+) (\\S+)");

    private static Settings settings(String exempt) {
        return Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1", EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, exempt)::get);
    }

    private static TableState quarantinable() {
        return new TableState(COPY, "ACTIVE", Map.of()).withAugment(ResourcePolicies.class, new ResourcePolicies(
                Optional.of(new ResourcePolicy(COPY.arn(), policy(OWN_ROLE), "r-1")), STREAM, Optional.empty()));
    }

    @ParameterizedTest(name = "QuarantineExemptPrincipals=\"{0}\"")
    @ValueSource(strings = {"", SECURITY_ROLE})
    void everyWayOut_shouldWork_asThePrincipalTheAlertNames(String exempt) {
        // GIVEN a table created in a forbidden region, quarantined with the statements the check writes
        ApiCall created = call(createTableIn(COPY.region(), COPY.name()));
        Finding finding = new RegionGuardRule().evaluate(created, COPY, Optional.of(quarantinable()), settings(exempt),
                NOW).get(0);
        Map<String, JsonNode> quarantine = statements((RegionGuardRemedy.Quarantine) finding.remedy());
        String body = AlertComposer.compose(finding, created, new Outcome(Outcome.Action.FIXED, finding.remedy().done()))
                .body();

        // WHEN
        Matcher who = WHO.matcher(body);
        assertThat(who.find()).as("the alert names who can act:\n" + body).isTrue();
        String principal = who.group(1);
        List<List<String>> ways = ways(body);

        // THEN the named principal is the exempt role, or with none the root user, whom the statement does deny
        assertThat(principal).isEqualTo(exempt.isEmpty() ? ROOT : SECURITY_ROLE);
        assertThat(QuarantineStatementEvaluationTest.denies(quarantine.get(COPY.arn()), principal, "dynamodb:GetItem",
                COPY.arn())).isEqualTo(exempt.isEmpty());
        assertThat(ways).hasSize(4);
        for (List<String> way : ways) {
            run(way, principal, new HashMap<>(quarantine));
        }
    }

    @ParameterizedTest(name = "QuarantineExemptPrincipals=\"{0}\"")
    @ValueSource(strings = {"", SECURITY_ROLE})
    void notifyModeSteps_shouldWork_whenWhoeverRunsThemIsNotSpared(String exempt) {
        // GIVEN the same table in notify mode: a person quarantines it by hand
        ApiCall created = call(createTableIn(COPY.region(), COPY.name()));
        Finding finding = new RegionGuardRule().evaluate(created, COPY, Optional.of(quarantinable()), settings(exempt),
                NOW).get(0);
        RegionGuardRemedy.Quarantine remedy = (RegionGuardRemedy.Quarantine) finding.remedy();
        String body = AlertComposer.compose(finding, created,
                new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, remedy.manualStep(COPY))).body();

        // WHEN each command of "What to do" runs in order as a developer, each policy written taking effect
        List<String> steps = body.lines().dropWhile(line -> !line.startsWith("  What to do: "))
                .takeWhile(line -> !line.isBlank()).map(line -> line.replace("  What to do: ", "    "))
                .filter(line -> line.startsWith("    aws ")).toList();
        Map<String, JsonNode> written = statements(remedy);

        // THEN none is refused: the tag goes on before the statement that would refuse its writer
        assertThat(steps).anyMatch(line -> line.contains("tag-resource")).anyMatch(line -> line.contains("put-resource-policy"));
        Map<String, JsonNode> inForce = new HashMap<>();
        for (String step : steps) {
            Command command = Command.of(step).orElseThrow();
            assertThat(refused(command, DEVELOPER_ROLE, inForce)).as(step).isFalse();
            if (command.action().equals("dynamodb:PutResourcePolicy")) {
                inForce.put(command.resource(), written.get(command.resource()));
            }
        }
    }

    @ParameterizedTest(name = "QuarantineExemptPrincipals=\"{0}\"")
    @ValueSource(strings = {"", SECURITY_ROLE})
    void exemptTableSteps_shouldNotDeleteAPolicyThatIsNotAQuarantine(String exempt) {
        // GIVEN an exempt table in a forbidden region: reported, not quarantined
        Settings settings = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1",
                EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, exempt, EnvVar.EXEMPT_TABLES, "customer-*")::get);
        ApiCall created = call(createTableIn(COPY.region(), COPY.name()));

        // WHEN
        Finding finding = new RegionGuardRule().evaluate(created, COPY, Optional.of(quarantinable()), settings, NOW)
                .get(0);

        // THEN its own policy is left alone and every step runs as any allowed role, nothing in the way
        String body = AlertComposer.compose(finding, created, new Outcome(Outcome.Action.ALERTED, finding.remedy().done()))
                .body();
        assertThat(body).doesNotContain("delete-resource-policy", "Who can act on it").contains("No quarantine statement");
        for (List<String> way : ways(body)) {
            run(way, DEVELOPER_ROLE, new HashMap<>());
        }
    }

    /** The quarantine statement each policy cut writes, by the resource whose policy it is. */
    private static Map<String, JsonNode> statements(RegionGuardRemedy.Quarantine remedy) {
        Map<String, JsonNode> statements = new HashMap<>();
        for (Remedy.PolicyCut cut : remedy.policies()) {
            for (JsonNode statement : tree(cut.rewritten().orElseThrow()).path("Statement")) {
                if (QuarantineStatement.SID.equals(statement.path("Sid").asText())) {
                    statements.put(cut.resourceArn(), statement);
                }
            }
        }
        assertThat(statements).containsOnlyKeys(COPY.arn(), STREAM);
        return statements;
    }

    /** The commands of each paragraph that starts with "To " and ends in a colon, in order. */
    private static List<List<String>> ways(String body) {
        List<List<String>> ways = new ArrayList<>();
        List<String> current = null;
        for (String line : body.lines().toList()) {
            if (line.startsWith("To ") && line.endsWith(":")) {
                current = new ArrayList<>();
                ways.add(current);
            } else if (current != null && line.startsWith("    aws ")) {
                current.add(line);
            } else if (!line.startsWith("    ")) {
                current = null;
            }
        }
        ways.forEach(way -> assertThat(way).as("a way with commands").isNotEmpty());
        return ways;
    }

    /** Runs one way's commands in order: deleting a policy lifts its statement for the commands after it. */
    private static void run(List<String> way, String principal, Map<String, JsonNode> inForce) {
        for (String line : way) {
            Optional<Command> command = Command.of(line);
            if (command.isEmpty()) {
                continue;
            }
            assertThat(refused(command.get(), principal, inForce)).as(principal + " runs " + line.strip()).isFalse();
            if (command.get().action().equals("dynamodb:DeleteResourcePolicy")) {
                inForce.remove(command.get().resource());
            }
        }
    }

    private static boolean refused(Command command, String principal, Map<String, JsonNode> inForce) {
        boolean denied = inForce.values().stream().anyMatch(statement ->
                QuarantineStatementEvaluationTest.denies(statement, principal, command.action(), command.resource()));
        boolean rootException = principal.endsWith(":root") && command.action().equals("dynamodb:DeleteResourcePolicy");
        return denied && !rootException;
    }

    /** An {@code aws dynamodb} command line as IAM sees it: its action and the ARN it acts on. */
    private record Command(String action, String resource) {
        /** Empty for a command on another region's resource (the import into an allowed region). */
        static Optional<Command> of(String line) {
            String[] words = line.strip().split(" ");
            assertThat(words[0] + " " + words[1]).as(line).isEqualTo("aws dynamodb");
            StringBuilder action = new StringBuilder("dynamodb:");
            for (String part : words[2].split("-")) {
                action.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
            Map<String, String> options = new HashMap<>();
            Matcher option = OPTION.matcher(line);
            while (option.find()) {
                options.putIfAbsent(option.group(1), option.group(2));
            }
            if (!COPY.region().equals(options.get("region"))) {
                return Optional.empty();
            }
            String resource = options.containsKey("table-name") ? tableIn(COPY.region(), options.get("table-name")).arn()
                    : options.getOrDefault("resource-arn", options.get("table-arn"));
            assertThat(resource).as("the resource of " + line).isNotNull();
            return Optional.of(new Command(action.toString(), resource));
        }
    }
}
