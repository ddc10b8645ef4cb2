package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml's policies as CloudFormation would deploy them: intrinsic functions (Ref, Fn::Sub, Fn::GetAtt,
 * Fn::Join, Fn::Split, Fn::Select, Fn::If with AWS::NoValue) resolved with given parameter values, in one account and
 * region, every resource named the way CloudFormation names it ({@code STACK-LogicalId-SUFFIX}, the role's path in
 * front). A function or attribute it does not know fails the test rather than guessing.
 */
final class ResolvedTemplate {
    static final String SUFFIX = "A1B2C3D4E5F6";
    static final String KEY_ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Template template;
    private final Map<String, String> parameters;
    private final String region;
    private final String account;
    private final String stack;

    ResolvedTemplate(Template template, Map<String, String> parameters, String region, String account, String stack) {
        this.template = template;
        this.parameters = parameters;
        this.region = region;
        this.account = account;
        this.stack = stack;
    }

    String stack() {
        return stack;
    }

    /**
     * The role's policies as one policy document: its inline policies, and the managed policies of the template that
     * name it in their Roles and whose Condition holds with these parameters.
     */
    JsonNode rolePolicy(String roleId) {
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        Map<String, Object> properties = Template.map(template.resource(roleId).get("Properties"));
        if (properties.isEmpty()) {
            throw new AssertionError("template.yaml has no role " + roleId);
        }
        for (Object each : Template.list(properties.get("Policies"))) {
            resolve(Template.map(Template.map(each).get("PolicyDocument")).get("Statement")).forEach(statements::add);
        }
        for (Object body : template.resources().values()) {
            Map<String, Object> resource = Template.map(body);
            Map<String, Object> managed = Template.map(resource.get("Properties"));
            if ("AWS::IAM::ManagedPolicy".equals(resource.get("Type"))
                    && Template.list(managed.get("Roles")).contains(Map.of("Ref", roleId))
                    && (resource.get("Condition") == null || holds(String.valueOf(resource.get("Condition"))))) {
                resolve(Template.map(managed.get("PolicyDocument")).get("Statement")).forEach(statements::add);
            }
        }
        return policy;
    }

    /** Whether the template's condition holds with these parameters (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). */
    boolean holds(String condition) {
        Object body = template.conditions().get(condition);
        if (body == null) {
            throw new AssertionError("template.yaml has no condition " + condition);
        }
        return evaluate(body);
    }

    private boolean evaluate(Object body) {
        Map<String, Object> function = Template.map(body);
        if (function.size() != 1) {
            throw new AssertionError("the resolver cannot evaluate the condition " + body);
        }
        Map.Entry<String, Object> only = function.entrySet().iterator().next();
        List<Object> args = Template.list(only.getValue());
        return switch (only.getKey()) {
            case "Fn::Equals" -> resolve(args.get(0)).equals(resolve(args.get(1)));
            case "Fn::Not" -> !evaluate(args.get(0));
            case "Fn::And" -> args.stream().allMatch(this::evaluate);
            case "Fn::Or" -> args.stream().anyMatch(this::evaluate);
            case "Condition" -> holds(String.valueOf(only.getValue()));
            default -> throw new AssertionError("the resolver cannot evaluate " + only.getKey());
        };
    }

    /** The policy of the AWS::SQS::QueuePolicy that names the queue, if any. */
    Optional<JsonNode> queuePolicy(String queueId) {
        for (Object body : template.resources().values()) {
            Map<String, Object> resource = Template.map(body);
            Map<String, Object> properties = Template.map(resource.get("Properties"));
            if ("AWS::SQS::QueuePolicy".equals(resource.get("Type"))
                    && Template.list(properties.get("Queues")).contains(Map.of("Ref", queueId))) {
                return Optional.of(resolve(properties.get("PolicyDocument")));
            }
        }
        return Optional.empty();
    }

    /** An Fn::Sub string with extra variables, as the tests write the resources of calls. */
    String sub(String text, Map<String, String> variables) {
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = variables.containsKey(name) ? variables.get(name)
                    : name.contains(".") && !name.startsWith("AWS::")
                    ? getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1))
                    : scalar(ref(name));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    JsonNode resolve(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1
                && String.valueOf(map.keySet().iterator().next()).matches("Ref|Fn::.+")) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            Object argument = only.getValue();
            List<Object> args = Template.list(argument);
            return switch (String.valueOf(only.getKey())) {
                case "Ref" -> ref(String.valueOf(argument));
                case "Fn::GetAtt" -> JSON.getNodeFactory().textNode(getAtt(String.valueOf(args.get(0)),
                        String.valueOf(args.get(1))));
                case "Fn::Sub" -> JSON.getNodeFactory().textNode(argument instanceof List<?>
                        ? sub(String.valueOf(args.get(0)), variables(Template.map(args.get(1))))
                        : sub(String.valueOf(argument), Map.of()));
                case "Fn::Join" -> {
                    List<String> parts = new ArrayList<>();
                    resolve(args.get(1)).forEach(part -> parts.add(part.asText()));
                    yield JSON.getNodeFactory().textNode(String.join(String.valueOf(args.get(0)), parts));
                }
                case "Fn::Split" -> {
                    ArrayNode parts = JSON.createArrayNode();
                    for (String part : resolve(args.get(1)).asText().split(Pattern.quote(String.valueOf(args.get(0))), -1)) {
                        parts.add(part);
                    }
                    yield parts;
                }
                case "Fn::Select" -> resolve(args.get(1)).get(Integer.parseInt(String.valueOf(args.get(0))));
                case "Fn::If" -> resolve(holds(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
                default -> throw new AssertionError("the resolver does not know " + only.getKey());
            };
        }
        // AWS::NoValue (an Fn::If's branch) leaves out the property or list item that holds it.
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = JSON.createObjectNode();
            map.forEach((k, v) -> {
                JsonNode resolved = resolve(v);
                if (!resolved.isMissingNode()) {
                    object.set(String.valueOf(k), resolved);
                }
            });
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = JSON.createArrayNode();
            list.stream().map(this::resolve).filter(each -> !each.isMissingNode()).forEach(array::add);
            return array;
        }
        return JSON.valueToTree(value);
    }

    private Map<String, String> variables(Map<String, Object> raw) {
        Map<String, String> variables = new HashMap<>();
        raw.forEach((name, value) -> variables.put(name, scalar(resolve(value))));
        return variables;
    }

    private JsonNode ref(String name) {
        String pseudo = switch (name) {
            case "AWS::Region" -> region;
            case "AWS::AccountId" -> account;
            case "AWS::Partition" -> "aws";
            case "AWS::StackName" -> stack;
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> null;
        };
        if (name.equals("AWS::NoValue")) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (pseudo != null) {
            return JSON.getNodeFactory().textNode(pseudo);
        }
        Map<String, Object> parameter = Template.map(template.parameters().get(name));
        if (!parameter.isEmpty()) {
            String raw = parameters.getOrDefault(name, String.valueOf(parameter.getOrDefault("Default", "")));
            if (String.valueOf(parameter.get("Type")).contains("List")) {
                ArrayNode values = JSON.createArrayNode();
                if (!raw.isEmpty()) {
                    for (String each : raw.split(",")) {
                        values.add(each);
                    }
                }
                return values;
            }
            return JSON.getNodeFactory().textNode(raw);
        }
        return JSON.getNodeFactory().textNode(refOfResource(name));
    }

    private String refOfResource(String id) {
        // SAM's `!Ref Function.Alias`: the alias AutoPublishAlias publishes, named in Globals.
        if (id.endsWith(".Alias")) {
            return getAtt(id.substring(0, id.length() - ".Alias".length()), "Arn") + ":live";
        }
        return switch (type(id)) {
            case "AWS::SQS::Queue" -> "https://sqs." + region + ".amazonaws.com/" + account + "/" + physical(id);
            case "AWS::SNS::Topic" -> arn("sns", physical(id));
            case "AWS::KMS::Key" -> KEY_ID;
            case "AWS::DynamoDB::Table" -> physical(id);
            case "AWS::Serverless::Function" -> named(id, "FunctionName");
            case "AWS::Serverless::StateMachine" -> arn("states", "stateMachine:" + named(id, "Name"));
            case "AWS::Logs::LogGroup" -> named(id, "LogGroupName");
            case "AWS::SSM::Parameter" -> named(id, "Name");
            default -> throw new AssertionError("the resolver does not know Ref of " + type(id) + " " + id);
        };
    }

    private String getAtt(String id, String attribute) {
        String value = switch (type(id) + "." + attribute) {
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + account + ":role"
                    + Template.map(template.resource(id).get("Properties")).getOrDefault("Path", "/") + named(id, "RoleName");
            case "AWS::SQS::Queue.Arn" -> arn("sqs", physical(id));
            case "AWS::DynamoDB::Table.Arn" -> arn("dynamodb", "table/" + physical(id));
            case "AWS::Logs::LogGroup.Arn" -> arn("logs", "log-group:" + named(id, "LogGroupName") + ":*");
            case "AWS::KMS::Key.Arn" -> arn("kms", "key/" + KEY_ID);
            case "AWS::Serverless::Function.Arn" -> arn("lambda", "function:" + named(id, "FunctionName"));
            case "AWS::Serverless::StateMachine.Arn" -> refOfResource(id);
            case "AWS::SNS::Topic.TopicArn" -> refOfResource(id);
            default -> null;
        };
        if (value == null) {
            throw new AssertionError("the resolver does not know " + id + "." + attribute);
        }
        return value;
    }

    private String type(String id) {
        Object type = template.resource(id).get("Type");
        if (type == null) {
            throw new AssertionError("template.yaml has no resource " + id);
        }
        return String.valueOf(type);
    }

    private String named(String id, String property) {
        Object name = Template.map(template.resource(id).get("Properties")).get(property);
        return name == null ? physical(id) : scalar(resolve(name));
    }

    private String physical(String id) {
        return stack + "-" + id + "-" + SUFFIX;
    }

    private String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
    }

    private static String scalar(JsonNode node) {
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(each -> parts.add(each.asText()));
            return String.join(",", parts);
        }
        return node.asText();
    }
}
