package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.watcher.Tampering;
import dev.ddbwarden.watcher.Watched;
import dev.ddbwarden.watcher.WatchedCall;
import dev.ddbwarden.watcher.WatchedCalls;
import dev.ddbwarden.watcher.WatchedTarget;
import dev.ddbwarden.watcher.Watcher;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.watcher.WatcherHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the watcher honest against template.yaml, as TemplateContractTest does for the table rules:
 * its role sits under /ddb-warden/ and grants exactly what its code declares, and its EventBridge
 * rules select exactly the calls its table (watcher/WatchedCalls) classifies: every row's call on the
 * stack's resource is routed and alerted, the same call on anyone else's is neither.
 */
class WatcherContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION = WatcherHandler.FUNCTION;
    private static final Watched WATCHED = new Watched(TemplateValues.STACK_NAME, "aws", LocalAws.REGION, "",
            TemplateValues.alertKeyArn(LocalAws.REGION, LocalAws.ACCOUNT));
    private static Template template;
    private static EventRoutes routes;

    @BeforeAll
    static void load() throws Exception {
        template = Project.template();
        routes = EventRoutes.of(template);
    }

    @Test
    void function_shouldRunTheWatcher_withItsOwnRoleUnderTheWardenPath() {
        Map<String, Object> properties = Template.map(template.resource(FUNCTION).get("Properties"));
        assertThat(template.functionProperty(FUNCTION, "CodeUri")).isEqualTo("functions/warden");
        assertThat(properties.get("Handler")).isEqualTo(WatcherHandler.class.getName() + "::handleRequest");
        assertThat(properties.get("FunctionName")).isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-watcher"));
        assertThat(properties.get("Role")).isEqualTo(Map.of("Fn::GetAtt", List.of("WatcherRole", "Arn")));
        assertThat(Template.map(template.resource("WatcherRole").get("Properties")).get("Path")).isEqualTo("/ddb-warden/");
    }

    @Test
    void role_shouldGrantExactlyWhatTheWatcherDeclares_onNamedResourcesOnly() {
        Set<String> granted = new HashSet<>();
        for (Map<String, Object> statement : template.roleStatements("WatcherRole")) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            List<Object> actions = Template.list(statement.get("Action"));
            actions.forEach(a -> assertThat(String.valueOf(a)).as("no wildcard actions").doesNotContain("*"));
            actions.forEach(a -> granted.add(String.valueOf(a)));
            Template.list(statement.get("Resource")).forEach(r -> assertThat(r).as("a resource of the stack").isInstanceOf(Map.class));
        }
        assertThat(granted).isEqualTo(WatcherHandler.GRANTS);
    }

    @Test
    void function_shouldBeToldTheStackTheDeploymentRoleAndTheAlertKey() throws Exception {
        FunctionSpec function = template.function(FUNCTION).orElseThrow();
        assertThat(function.environment()).containsEntry("STACK_NAME", Map.of("Ref", "AWS::StackName"))
                .containsEntry("ALERT_KEY_ARN", Map.of("Fn::GetAtt", List.of("AlertKey", "Arn")))
                .containsEntry("SETTINGS_PARAMETER", Map.of("Ref", SettingsParameter.LOGICAL_ID))
                .containsKeys("ALERT_TOPIC_ARN", "LEDGER_TABLE");
        // The deployment role comes from a Parameter, so through the settings parameter, read at run time.
        assertThat(SettingsParameter.of(template, new TemplateValues(template.parameters(),
                Map.of("DeploymentRoleArn", "arn:aws:iam::123456789012:role/ddb-warden-deployer"), LocalAws.REGION,
                LocalAws.ACCOUNT)).orElseThrow().settings())
                .containsEntry("DEPLOYMENT_ROLE_ARN", "arn:aws:iam::123456789012:role/ddb-warden-deployer");
        Map<String, Object> parameter = Template.map(template.parameters().get("DeploymentRoleArn"));
        assertThat(parameter).containsEntry("Default", "");
        String allowed = String.valueOf(parameter.get("AllowedPattern"));
        assertThat("").matches(allowed);
        assertThat("arn:aws:iam::123456789012:role/ddb-warden-deployer").matches(allowed);
        assertThat("arn:aws:iam::123456789012:role/ci/deployer").matches(allowed);
        assertThat("arn:aws:iam::123456789012:user/alice").doesNotMatch(allowed);
    }

    /** Each row with each field it reads the resource from. */
    static List<Object[]> rowFields() {
        List<Object[]> cases = new ArrayList<>();
        for (WatchedCall row : WatchedCalls.all()) {
            for (String field : row.fields()) {
                cases.add(new Object[] {row.eventSource() + " " + row.eventName() + " via " + field, row, field});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowFields")
    void everyWatchedCall_onTheStacksResource_shouldBeRoutedToTheWatcher_andAlerted(String name, WatchedCall row, String field)
            throws Exception {
        String event = eventFor(row, field, sample(row.target(), field, true));

        assertThat(routes.functionsFor(event)).as(name).contains(FUNCTION);
        assertThat(classify(event)).as(name).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowFields")
    void everyWatchedCall_onSomeoneElsesResource_shouldReachNoWatcher(String name, WatchedCall row, String field)
            throws Exception {
        String event = eventFor(row, field, sample(row.target(), field, false));

        boolean anyTrail = row.target() == WatchedTarget.TRAIL;
        assertThat(routes.functionsFor(event).contains(FUNCTION)).as(name).isEqualTo(anyTrail);
        assertThat(classify(event).isPresent()).as(name).isEqualTo(anyTrail);
    }

    @Test
    void rules_shouldSelectNoEventNameTheCodeDoesNotClassify() {
        Set<String> inTemplate = new TreeSet<>();
        template.eventPatterns(FUNCTION).values().forEach(pattern -> collectEventNames(pattern, inTemplate));
        Set<String> inCode = WatchedCalls.all().stream()
                .map(row -> row.versioned() ? "prefix:" + row.eventName() : row.eventName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(inTemplate).isEqualTo(inCode);
    }

    @Test
    void watchersOwnRulesAndFunction_shouldBeWatched() throws Exception {
        // Disabling or deleting any of the watcher's rules, or changing its function, is itself an alert.
        for (Object event : Template.map(Template.map(template.resource(FUNCTION).get("Properties")).get("Events")).values()) {
            Object ruleName = Template.map(Template.map(event).get("Properties")).get("RuleName");
            String resolved = new TemplateValues(template.parameters(), Map.of(), LocalAws.REGION, LocalAws.ACCOUNT).resolve(ruleName);
            String disable = envelope("events", "DisableRule", JSON.createObjectNode().put("name", resolved), null);
            assertThat(classify(disable)).as(resolved).isPresent();
        }
        String code = envelope("lambda", "UpdateFunctionCode20150331v2",
                JSON.createObjectNode().put("functionName", TemplateValues.STACK_NAME + "-watcher"), null);
        assertThat(classify(code)).isPresent();
        assertThat(routes.functionsFor(code)).contains(FUNCTION);
    }

    @Test
    void everyWatcherSample_shouldBeAlerted_exactlyWhenItIsRoutedToTheWatcher() throws Exception {
        Set<String> sources = new TreeSet<>();
        int routed = 0;
        for (String file : Project.eventFiles()) {
            String event = Project.event(file);
            boolean toWatcher = routes.functionsFor(event).contains(FUNCTION);
            if (file.startsWith("watch-") || toWatcher) {
                Optional<?> tampering = classify(event);
                assertThat(tampering.isPresent()).as(file).isEqualTo(toWatcher);
                if (toWatcher) {
                    routed++;
                    sources.add(JSON.readTree(event).path("source").asText());
                }
            }
        }
        assertThat(routed).isGreaterThanOrEqualTo(7);
        assertThat(sources).containsExactly("aws.cloudtrail", "aws.dynamodb", "aws.events", "aws.iam", "aws.kms",
                "aws.lambda", "aws.scheduler", "aws.sns", "aws.sqs", "aws.ssm", "aws.states");
    }

    /** Each way a call may name the stack's function, queue or key, with the resource the alert must name. */
    static List<Object[]> namings() {
        String function = TemplateValues.STACK_NAME + "-region-guard";
        String functionArn = "arn:aws:lambda:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT + ":function:" + function;
        String queue = TemplateValues.STACK_NAME + "-FailureQueue-AbC123";
        String queueArn = "arn:aws:sqs:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT + ":" + queue;
        String path = "/" + LocalAws.ACCOUNT + "/" + queue;
        String keyArn = TemplateValues.alertKeyArn(LocalAws.REGION, LocalAws.ACCOUNT);
        List<Object[]> cases = new ArrayList<>();
        for (String named : List.of(function, function + ":live", LocalAws.ACCOUNT + ":function:" + function,
                LocalAws.ACCOUNT + ":function:" + function + ":live", functionArn, functionArn + ":live")) {
            cases.add(new Object[] {"lambda", "UpdateAlias20150331", "functionName", named, functionArn});
            cases.add(new Object[] {"lambda", "PublishVersion20150331", "functionName", named, functionArn});
        }
        for (String host : List.of("https://sqs.us-east-1.amazonaws.com", "https://queue.amazonaws.com",
                "https://us-east-1.queue.amazonaws.com", "https://sqs-fips.us-east-1.amazonaws.com",
                "https://vpce-0a1b2c3d4e5f60718-abcdefgh.sqs.us-east-1.vpce.amazonaws.com", "https://sqs.us-east-1.api.aws",
                "http://sqs.us-east-1.amazonaws.com")) {
            cases.add(new Object[] {"sqs", "PurgeQueue", "queueUrl", host + path, queueArn});
        }
        cases.add(new Object[] {"lambda", "CreateEventSourceMapping20150331", "eventSourceArn", queueArn, queueArn});
        cases.add(new Object[] {"kms", "DisableKey", "keyId", TemplateValues.ALERT_KEY_ID, keyArn});
        cases.add(new Object[] {"kms", "DisableKey", "keyId", keyArn, keyArn});
        return cases;
    }

    @ParameterizedTest(name = "{1} {3}")
    @MethodSource("namings")
    void everyWayOfNamingTheStacksResource_shouldBeRouted_andAlertedOnThatResource(String service, String eventName,
            String field, String named, String resource) throws Exception {
        String event = envelope(service, eventName, JSON.createObjectNode().put(field, named), null);

        assertThat(routes.functionsFor(event)).contains(FUNCTION);
        assertThat(classify(event)).map(Tampering::resource).contains(resource);
    }

    private static Optional<Tampering> classify(String event) throws Exception {
        Parsed parsed = ApiCallParser.parse(JSON.readTree(event));
        if (!(parsed instanceof Parsed.Call call)) {
            return Optional.empty();
        }
        ApiCall apiCall = call.call();
        return Watcher.classify(apiCall, WATCHED);
    }

    /** The row's call naming {@code named} in {@code field}, carrying the row's condition. */
    private static String eventFor(WatchedCall row, String field, String named) {
        String service = row.eventSource().substring(0, row.eventSource().indexOf('.'));
        String eventName = row.versioned() ? row.eventName() + "20150331v2" : row.eventName();
        ObjectNode request = JSON.createObjectNode();
        ObjectNode response = null;
        String[] path = field.split("\\.");
        if (path[0].equals("responseElements")) {
            response = JSON.createObjectNode().put(path[1], named);
        } else if (path[1].endsWith("[]")) {
            request.putArray(path[1].substring(0, path[1].length() - 2)).add("/ddb-warden/payments/other").add(named);
        } else {
            request.put(path[1], named);
        }
        row.when().ifPresent(condition -> {
            String[] steps = condition.path().split("\\.");
            ObjectNode node = request;
            for (int i = 0; i < steps.length - 1; i++) {
                node = node.has(steps[i]) ? (ObjectNode) node.get(steps[i]) : node.putObject(steps[i]);
            }
            node.put(steps[steps.length - 1], condition.value());
        });
        return envelope(service, eventName, request, response);
    }

    /** What {@code field} holds for the stack's resource of this kind, or for someone else's. */
    private static String sample(WatchedTarget target, String field, boolean ours) {
        String prefix = ours ? TemplateValues.STACK_NAME + "-" : "payments-";
        String arn = ":" + LocalAws.REGION + ":" + LocalAws.ACCOUNT + ":";
        return switch (target) {
            case TRAIL -> "management-events";
            case RULE -> prefix + "deletion-protection";
            case FUNCTION -> field.startsWith("responseElements") ? "arn:aws:lambda" + arn + "function:" + prefix + "watcher"
                    : prefix + "watcher";
            case TOPIC -> "arn:aws:sns" + arn + prefix + "AlertTopic-AbCdEf123456"
                    + (field.endsWith("subscriptionArn") ? ":0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f" : "");
            case ROLE -> prefix + "WatcherRole-XYZ";
            case LEDGER -> (field.endsWith("resourceArn") ? "arn:aws:dynamodb" + arn + "table/" : "")
                    + (ours ? prefix + "Ledger-ABC123" : "orders");
            case QUEUE -> field.endsWith("queueUrl")
                    ? "https://sqs." + LocalAws.REGION + ".amazonaws.com/" + LocalAws.ACCOUNT + "/" + prefix + "FailureQueue-AbC123"
                    : "arn:aws:sqs" + arn + prefix + "RecheckQueue-AbC123";
            case KEY -> ours ? TemplateValues.ALERT_KEY_ID : "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
            case SCHEDULE -> prefix + "sweep";
            case STATE_MACHINE -> "arn:aws:states" + arn + "stateMachine:" + prefix + "sweep";
            case PARAMETER -> "/ddb-warden/" + (ours ? TemplateValues.STACK_NAME : "payments") + "/settings";
        };
    }

    private static String envelope(String service, String eventName, ObjectNode request, ObjectNode response) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0").put("id", "0e1d2c3b-4a59-4687-8b7c-6d5e4f3a2b1c")
                .put("detail-type", "AWS API Call via CloudTrail").put("source", "aws." + service)
                .put("account", LocalAws.ACCOUNT).put("time", "2024-06-03T09:12:44Z").put("region", LocalAws.REGION);
        event.putArray("resources");
        ObjectNode detail = event.putObject("detail");
        detail.put("eventVersion", "1.09").put("eventTime", "2024-06-03T09:12:44Z")
                .put("eventSource", service + ".amazonaws.com").put("eventName", eventName)
                .put("awsRegion", LocalAws.REGION).put("sourceIPAddress", "198.51.100.23").put("userAgent", "aws-cli/2.15.0")
                .put("eventID", "5f1d2c3b-4a59-4687-8b7c-6d5e4f3a2b1c").put("recipientAccountId", LocalAws.ACCOUNT);
        detail.putObject("userIdentity").put("type", "IAMUser").put("arn", "arn:aws:iam::123456789012:user/mallory");
        detail.set("requestParameters", request);
        detail.set("responseElements", response);
        return event.toString();
    }

    /** eventName values in a pattern, prefix matches as {@code prefix:NAME}. */
    private static void collectEventNames(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("eventName".equals(key)) {
                    for (Object name : Template.list(value)) {
                        names.add(name instanceof Map<?, ?> m ? "prefix:" + m.get("prefix") : String.valueOf(name));
                    }
                } else {
                    collectEventNames(value, names);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectEventNames(item, names));
        }
    }
}
