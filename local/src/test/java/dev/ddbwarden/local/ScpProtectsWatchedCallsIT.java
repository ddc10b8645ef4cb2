package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.watcher.WatchedCall;
import dev.ddbwarden.watcher.WatchedCalls;
import dev.ddbwarden.local.IamSimulator.Case;
import dev.ddbwarden.local.IamSimulator.Policies;
import dev.ddbwarden.local.IamSimulator.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped SCPs (rendered from scp/settings) refuse, before it happens, every call the watcher alerts on after it
 * happened, on the resources CloudFormation gives each stack samconfig.toml deploys, to everyone but the exempt
 * principals; and protect-ddb-warden.json and protect-ddb-warden-runtime.json leave the same calls on anyone else's
 * resources alone. The other SCPs keep their own exemptions (only the security roles delete tables, the ledger too),
 * so the exempt principals are checked against the two protect policies alone. IAM's own evaluation decides each
 * request (the IAM simulator, see {@link IamSimulator}), with an identity policy that allows everything.
 */
class ScpProtectsWatchedCallsIT {
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "eu-west-1";
    private static final Pattern STACK_NAME = Pattern.compile("(?m)^stack_name\\s*=\\s*\"([^\"]+)\"");
    private static final String DEVELOPER = "arn:aws:iam::" + ACCOUNT + ":role/developer";
    private static final List<String> EXEMPT = List.of("arn:aws:iam::" + ACCOUNT + ":role/security/responder",
            "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden-deployer",
            "arn:aws:iam::" + ACCOUNT + ":role/stacksets-exec-a1b2c3");
    /** What the protect policies deny beyond the watched calls, each for a reason scp/README.md gives. */
    private static final Set<String> BEYOND_WATCHED = Set.of("iam:CreateRole", "iam:TagRole", "iam:UntagRole",
            "iam:PassRole", "dynamodb:CreateTable", "dynamodb:TagResource", "dynamodb:UntagResource",
            "lambda:CreateEventSourceMapping", "lambda:InvokeFunction", "lambda:InvokeAsync", "kms:DeleteAlias",
            "kms:UpdateAlias", "sqs:ReceiveMessage", "sqs:DeleteMessage", "ssm:PutParameter", "ssm:DeleteParameter",
            "ssm:DeleteParameters", "ssm:LabelParameterVersion", "ssm:UnlabelParameterVersion",
            "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource",
            // Item writes to the ledger: its decisions make ddb-warden's tags count (no data event is watched).
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
            "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete");
    /**
     * Watched calls no SCP can refuse: IAM authorizes them on no resource of the topic's (SNS's "Amazon SNS API
     * permissions: Actions and resources reference" lists no topic resource for them), so a statement scoped to
     * ddb-warden's topic never matches, and one on every resource would refuse them across the organization. The
     * watcher reports them.
     */
    private static final Set<String> NOT_PREVENTABLE = Set.of("sns:Unsubscribe", "sns:SetSubscriptionAttributes");

    /** KMS decides by the key policy first: the alert key's lets the account's own policies decide (template.yaml). */
    private static final JsonNode KEY_POLICY = keyPolicy();

    private static List<String> stacks;
    private static Map<String, String> decided;

    @BeforeAll
    static void decideEveryRequest() throws Exception {
        stacks = STACK_NAME.matcher(Files.readString(Project.ROOT.resolve("samconfig.toml"))).results()
                .map(m -> m.group(1)).distinct().toList();
        Map<String, RenderedScps.Rendered> rendered = RenderedScps.render(RenderedScps.SHIPPED_SETTINGS);
        List<JsonNode> scps = rendered.values().stream().filter(RenderedScps.Rendered::scp).map(RenderedScps.Rendered::policy).toList();
        List<JsonNode> protect = rendered.values().stream().filter(r -> r.file().startsWith("protect-ddb-warden"))
                .map(RenderedScps.Rendered::policy).toList();
        List<Case> cases = new ArrayList<>();
        watchedCalls().forEach(call -> {
            for (String stack : stacks) {
                cases.add(decide("all", request(call, stack, DEVELOPER), scps));
                EXEMPT.forEach(exempt -> cases.add(decide("protect", request(call, stack, exempt), protect)));
            }
            cases.add(decide("protect", request(call, "payments", DEVELOPER), protect));
        });
        wardensOwnWork().forEach(request -> cases.add(decide("protect", request, protect)));
        decided = IamSimulator.decide(cases);
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

            assertThat(decided.get(name("all", request))).as("%s under every SCP", request).isEqualTo(
                    NOT_PREVENTABLE.contains(action(call)) ? "Allowed" : "ExplicitlyDenied");
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("watchedCallsByName")
    void watchedCall_shouldNotBeDenied_whenAnExemptPrincipalMakesIt(WatchedCall call, String name) {
        for (String stack : stacks) {
            for (String exempt : EXEMPT) {
                Request request = request(call, stack, exempt);

                assertThat(decided.get(name("protect", request))).as("%s under the protect SCPs", request)
                        .isEqualTo("Allowed");
            }
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("watchedCallsByName")
    void watchedCall_shouldNotBeDenied_onAnotherStacksResource(WatchedCall call, String name) {
        Request request = request(call, "payments", DEVELOPER);

        assertThat(decided.get(name("protect", request))).as("%s under the protect SCPs", request).isEqualTo("Allowed");
    }

    @Test
    void protectScp_shouldNotDeny_whatDdbWardensRolesDoOnItsOwnResources() {
        assertThat(wardensOwnWork()).hasSize(8).allSatisfy(request -> assertThat(decided.get(name("protect", request)))
                .as("%s under the protect SCPs", request).isEqualTo("Allowed"));
    }

    /** What ddb-warden's functions, its state machine and its schedule do on the stack's own resources. */
    private static List<Request> wardensOwnWork() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden/ddb-warden-RecheckFunctionRole-A1B2C3D4";
        String arn = "arn:aws:%s:" + REGION + ":" + ACCOUNT + ":";
        String queue = arn.formatted("sqs") + "ddb-warden-RecheckQueue-9Z8Y7X6W5V4U";
        String ledger = arn.formatted("dynamodb") + "table/ddb-warden-Ledger-5T6Y7U8I9O0P";
        return Stream.of(
                        new String[] {"sqs:ReceiveMessage", queue}, new String[] {"sqs:DeleteMessage", queue},
                        new String[] {"sqs:SendMessage", queue},
                        new String[] {"sns:Publish", arn.formatted("sns") + "ddb-warden-AlertTopic-1Q2W3E4R5T6Y"},
                        new String[] {"dynamodb:PutItem", ledger}, new String[] {"dynamodb:UpdateItem", ledger},
                        new String[] {"lambda:InvokeFunction", arn.formatted("lambda") + "function:ddb-warden-sweep"},
                        new String[] {"states:StartExecution", arn.formatted("states") + "stateMachine:ddb-warden-x"})
                .map(pair -> new Request(role, pair[0], pair[1]))
                .toList();
    }

    static Stream<Object[]> watchedCallsByName() {
        return watchedCalls().map(call -> new Object[] {call, action(call) + " on the " + call.target()});
    }

    @Test
    void protectScp_shouldDenyOnlyWatchedCallsAndTheNamedOthers() throws Exception {
        Set<String> watched = new TreeSet<>();
        watchedCalls().forEach(call -> watched.add(action(call)));
        Set<String> denied = new TreeSet<>();
        RenderedScps.render(RenderedScps.SHIPPED_SETTINGS).values().stream()
                .filter(r -> r.file().startsWith("protect-ddb-warden"))
                .forEach(r -> r.policy().path("Statement").forEach(s -> {
                    JsonNode actions = s.path("Action");
                    (actions.isArray() ? actions : List.of(actions)).forEach(a -> denied.add(a.asText()));
                }));

        assertThat(denied).as("actions the protect policies deny, none misspelt")
                .allSatisfy(action -> assertThat(watched.contains(action) || BEYOND_WATCHED.contains(action))
                        .as("%s is a watched call or a named other", action).isTrue())
                .containsAll(BEYOND_WATCHED)
                .doesNotContainAnyElementsOf(NOT_PREVENTABLE);
    }

    private static Case decide(String scps, Request request, List<JsonNode> policies) {
        JsonNode keyPolicy = request.action().startsWith("kms:") ? KEY_POLICY : null;
        return new Case(name(scps, request), request,
                new Policies(List.of(IamSimulator.ALLOW_ALL), policies, keyPolicy));
    }

    private static JsonNode keyPolicy() {
        ObjectNode policy = JsonNodeFactory.instance.objectNode().put("Version", "2012-10-17");
        ObjectNode statement = policy.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "kms:*")
                .put("Resource", "*");
        statement.putObject("Principal").put("AWS", "arn:aws:iam::" + ACCOUNT + ":root");
        return policy;
    }

    private static String name(String scps, Request request) {
        return scps + " " + request;
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
        Map<String, Object> context = new HashMap<>();
        String caller = principal;
        String action = action(call);
        String resource = switch (call.target()) {
            case TRAIL -> arn.formatted("cloudtrail") + "trail/" + stack + "-trail";
            case RULE -> arn.formatted("events") + "rule/" + stack + "-watch-lambda";
            case FUNCTION -> {
                String function = arn.formatted("lambda") + "function:" + stack + "-watcher";
                if (call.eventName().endsWith("EventSourceMapping")) {
                    context.put("lambda:FunctionArn", function + ":live");
                    yield arn.formatted("lambda") + "event-source-mapping:6f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
                }
                yield call.eventName().endsWith("Alias") ? function + ":live" : function;
            }
            case TOPIC -> {
                String topic = arn.formatted("sns") + stack + "-AlertTopic-1Q2W3E4R5T6Y";
                yield NOT_PREVENTABLE.contains(action) ? "*" : topic;
            }
            case QUEUE -> {
                String queue = arn.formatted("sqs") + stack + "-RecheckQueue-9Z8Y7X6W5V4U";
                if (call.eventSource().startsWith("lambda.")) {
                    action = "sqs:ReceiveMessage";
                    caller = principal.replace("developer", "payments-consumer");
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
        return new Request(caller, action, resource, context);
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
