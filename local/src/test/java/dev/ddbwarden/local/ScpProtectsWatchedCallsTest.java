package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.check.WatchedCall;
import dev.ddbwarden.check.WatchedCalls;
import dev.ddbwarden.local.ScpEvaluator.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped SCPs refuse, before it happens, every call the watcher alerts on after it happened, on the
 * resources CloudFormation gives each stack samconfig.toml deploys, to everyone but the exempt principals; and
 * protect-ddb-warden.json leaves the same calls on anyone else's resources alone. The other SCPs keep their own
 * exemptions (only the security roles delete tables, the ledger too), so the exempt principals are checked against
 * protect-ddb-warden.json alone.
 */
class ScpProtectsWatchedCallsTest {
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "eu-west-1";
    private static final Pattern STACK_NAME = Pattern.compile("(?m)^stack_name\\s*=\\s*\"([^\"]+)\"");
    private static final String DEVELOPER = "arn:aws:iam::" + ACCOUNT + ":role/developer";
    private static final List<String> EXEMPT = List.of("arn:aws:iam::" + ACCOUNT + ":role/security/responder",
            "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden-deployer",
            "arn:aws:iam::" + ACCOUNT + ":role/stacksets-exec-a1b2c3");
    /** What protect-ddb-warden.json denies beyond the watched calls, each for a reason README gives. */
    private static final Set<String> BEYOND_WATCHED = Set.of("iam:CreateRole", "iam:TagRole", "iam:UntagRole",
            "dynamodb:TagResource", "dynamodb:UntagResource", "lambda:CreateEventSourceMapping", "kms:DeleteAlias",
            "kms:UpdateAlias", "sqs:ReceiveMessage", "sqs:DeleteMessage");
    private static final Path PROTECT = Project.ROOT.resolve("scp").resolve("protect-ddb-warden.json");

    private static ScpEvaluator scps;
    private static ScpEvaluator protect;
    private static List<String> stacks;

    @BeforeAll
    static void readShippedScps() throws IOException {
        scps = ScpEvaluator.of(ScpAndForwarderTest.scpFiles());
        protect = ScpEvaluator.of(List.of(PROTECT));
        stacks = STACK_NAME.matcher(Files.readString(Project.ROOT.resolve("samconfig.toml"))).results()
                .map(m -> m.group(1)).distinct().toList();
    }

    @Test
    void samconfig_shouldNameTheDefaultStackAndAnother() {
        assertThat(stacks).contains("ddb-warden").hasSizeGreaterThan(1);
    }

    static Stream<WatchedCall> watchedCalls() {
        return WatchedCalls.all().stream();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("watchedCallsByName")
    void watchedCall_shouldBeDenied_whenAnyoneElseMakesItOnTheStacksResource(WatchedCall call, String name) {
        for (String stack : stacks) {
            Request request = request(call, stack, DEVELOPER);

            assertThat(scps.denyingStatement(request)).as("a statement denying %s", request).isPresent();
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("watchedCallsByName")
    void watchedCall_shouldNotBeDenied_whenAnExemptPrincipalMakesIt(WatchedCall call, String name) {
        for (String stack : stacks) {
            for (String exempt : EXEMPT) {
                Request request = request(call, stack, exempt);

                assertThat(protect.denyingStatement(request)).as("a statement denying %s", request).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("watchedCallsByName")
    void watchedCall_shouldNotBeDenied_onAnotherStacksResource(WatchedCall call, String name) {
        Request request = request(call, "payments", DEVELOPER);

        assertThat(protect.denyingStatement(request)).as("a statement denying %s", request).isEmpty();
    }

    @Test
    void protectScp_shouldNotDeny_whatDdbWardensRolesDoOnItsOwnResources() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden/ddb-warden-RecheckFunctionRole-A1B2C3D4";
        String arn = "arn:aws:%s:" + REGION + ":" + ACCOUNT + ":";
        String queue = arn.formatted("sqs") + "ddb-warden-RecheckQueue-9Z8Y7X6W5V4U";
        String ledger = arn.formatted("dynamodb") + "table/ddb-warden-Ledger-5T6Y7U8I9O0P";
        List<Request> work = Stream.of(
                        new String[] {"sqs:ReceiveMessage", queue}, new String[] {"sqs:DeleteMessage", queue},
                        new String[] {"sqs:SendMessage", queue},
                        new String[] {"sns:Publish", arn.formatted("sns") + "ddb-warden-AlertTopic-1Q2W3E4R5T6Y"},
                        new String[] {"dynamodb:PutItem", ledger}, new String[] {"dynamodb:UpdateItem", ledger},
                        new String[] {"lambda:InvokeFunction", arn.formatted("lambda") + "function:ddb-warden-sweep"},
                        new String[] {"states:StartExecution", arn.formatted("states") + "stateMachine:ddb-warden-x"})
                .map(pair -> new Request(pair[0], pair[1], Map.of("aws:PrincipalArn", List.of(role))))
                .toList();

        assertThat(work).allSatisfy(request -> assertThat(protect.denyingStatement(request))
                .as("a statement denying %s", request).isEmpty());
    }

    static Stream<Object[]> watchedCallsByName() {
        return watchedCalls().map(call -> new Object[] {call, action(call) + " on the " + call.target()});
    }

    @Test
    void protectScp_shouldDenyOnlyWatchedCallsAndTheNamedOthers() throws IOException {
        Set<String> watched = new TreeSet<>();
        watchedCalls().forEach(call -> watched.add(action(call)));
        Set<String> denied = new TreeSet<>();
        new ObjectMapper().readTree(PROTECT.toFile()).path("Statement")
                .forEach(s -> denied.addAll(ScpEvaluator.strings(s.get("Action"))));

        assertThat(denied).as("actions protect-ddb-warden.json denies, none misspelt")
                .allSatisfy(action -> assertThat(watched.contains(action) || BEYOND_WATCHED.contains(action))
                        .as("%s is a watched call or a named other", action).isTrue())
                .containsAll(BEYOND_WATCHED);
    }

    /** CloudTrail's event source names the IAM service prefix: lambda.amazonaws.com, lambda:. */
    private static String action(WatchedCall call) {
        return call.eventSource().substring(0, call.eventSource().indexOf('.')) + ":" + call.eventName();
    }

    /**
     * The request IAM authorizes for the call, on the resource stack {@code stack} would own, by {@code principal}.
     * A mapping from ddb-warden's queue to another function names no function of ddb-warden's, and no condition key
     * names its queue: what the SCP refuses instead is that function's role reading the queue.
     */
    private static Request request(WatchedCall call, String stack, String principal) {
        String arn = "arn:aws:%s:" + REGION + ":" + ACCOUNT + ":";
        Map<String, List<String>> context = new HashMap<>();
        context.put("aws:PrincipalArn", List.of(principal));
        String action = action(call);
        String resource = switch (call.target()) {
            case TRAIL -> arn.formatted("cloudtrail") + "trail/" + stack + "-trail";
            case RULE -> arn.formatted("events") + "rule/" + stack + "-watch-lambda";
            case FUNCTION -> {
                String function = arn.formatted("lambda") + "function:" + stack + "-watcher";
                if (call.eventName().endsWith("EventSourceMapping")) {
                    context.put("lambda:FunctionArn", List.of(function + ":live"));
                    yield arn.formatted("lambda") + "event-source-mapping:6f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
                }
                yield call.eventName().endsWith("Alias") ? function + ":live" : function;
            }
            case TOPIC -> {
                String topic = arn.formatted("sns") + stack + "-AlertTopic-1Q2W3E4R5T6Y";
                yield call.eventName().contains("Subscri") && !call.eventName().equals("Subscribe")
                        ? topic + ":0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" : topic;
            }
            case QUEUE -> {
                String queue = arn.formatted("sqs") + stack + "-RecheckQueue-9Z8Y7X6W5V4U";
                if (call.eventSource().startsWith("lambda.")) {
                    action = "sqs:ReceiveMessage";
                    context.put("aws:PrincipalArn", List.of(principal.replace("developer", "payments-consumer")));
                }
                yield queue;
            }
            case KEY -> {
                context.put("kms:ResourceAliases", List.of("alias/" + stack + "-alerts"));
                yield arn.formatted("kms") + "key/1234abcd-12ab-34cd-56ef-1234567890ab";
            }
            case SCHEDULE -> arn.formatted("scheduler") + "schedule/default/" + stack + "-sweep";
            case STATE_MACHINE -> arn.formatted("states") + "stateMachine:" + stack + "-sweep";
            case ROLE -> "arn:aws:iam::" + ACCOUNT + ":role/" + rolePath(stack) + stack + "-WatcherRole-A1B2C3D4";
            case LEDGER -> arn.formatted("dynamodb") + "table/" + stack + "-Ledger-5T6Y7U8I9O0P";
            case PARAMETER -> arn.formatted("ssm") + "parameter/" + parameterPath(stack) + stack + "/settings";
        };
        return new Request(action, resource, context);
    }

    /** template.yaml names the settings parameter /ddb-warden/STACK/settings; a stack that is not ddb-warden's has its own path. */
    private static String parameterPath(String stack) {
        return stack.startsWith("ddb-warden") ? "ddb-warden/" : "";
    }

    /** template.yaml puts every role of ddb-warden under /ddb-warden/, whatever the stack's name. */
    private static String rolePath(String stack) {
        return stack.startsWith("ddb-warden") ? "ddb-warden/" : stack + "/";
    }
}
