package dev.ddbwarden.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random resource policies and hostile text for {@link PolicyAnalyzerPropertiesTest}: each method draws
 * from the random it is given, so a seed gives the same values every time. The {@code edgeCase} lists
 * are fixed samples that the properties try first.
 */
final class PolicyGenerator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static final List<String> EFFECTS = List.of("Allow", "Allow", "Allow", "Deny", "allow", "DENY", "Permit");
    /** The Principal or NotPrincipal element, as a one-field object (none for no principal). */
    static final List<String> PRINCIPALS = List.of(
            "{}",
            "{\"Principal\": \"*\"}",
            "{\"Principal\": {\"AWS\": \"*\"}}",
            "{\"Principal\": {\"AWS\": [\"444455556666\", \"*\"]}}",
            "{\"Principal\": {\"AWS\": \"arn:aws:iam::*:root\"}}",
            "{\"Principal\": {\"AWS\": \"111122223333\"}}",
            "{\"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:role/partner\"}}",
            "{\"Principal\": {\"aws\": \"999988887777\"}}",
            "{\"Principal\": {\"AWS\": [\"arn:aws:sts::999988887777:assumed-role/r/s\", \"111122223333\"]}}",
            "{\"Principal\": {\"Service\": \"lambda.amazonaws.com\"}}",
            "{\"Principal\": {\"Federated\": \"cognito-identity.amazonaws.com\"}}",
            "{\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:role/admin\"}}");
    private static final String NONE = PRINCIPALS.get(0);
    private static final String EVERYONE = PRINCIPALS.get(1);
    private static final String OWN_ACCOUNT = PRINCIPALS.get(5);
    private static final String UNTRUSTED = PRINCIPALS.get(7);
    private static final List<String> OPERATORS = List.of("StringEquals", "StringLike", "ArnEquals", "ArnLike",
            "Bool", "ForAnyValue:StringEquals", "ForAllValues:StringEquals", "StringEqualsIfExists",
            "StringNotEquals", "ArnNotLike", "Null", "IpAddress");
    private static final List<String> KEYS = List.of("aws:PrincipalAccount", "AWS:principalaccount",
            "aws:PrincipalArn", "aws:SourceArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:SourceAccount",
            "aws:SourceVpce", "aws:PrincipalIsAWSService", "aws:SourceIp", "aws:userid", "aws:SourceOrgID");
    private static final List<String> VALUES = List.of("111122223333", "444455556666", "999988887777",
            "arn:aws:iam::444455556666:role/x", "arn:aws:iam::999988887777:role/x", "arn:aws:s3:::bucket",
            "o-trusted1234", "o-other99999", "o-trusted1234/r-ab12/", "o-other99999/r-ab12/", "*", "1111*",
            "11112222333?", "arn:aws:iam::111122223333:user/${aws:username}", "true", "false", "vpce-1a2b3c4d",
            "10.0.0.0/8");
    /** JSON-ish pieces for hostile text; none spells Allow, so no text built from them can leak. */
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\n", "\t",
            "\"Statement\"", "\"statement\"", "\"Effect\"", "\"Deny\"", "\"Principal\"", "\"*\"", "\"Condition\"",
            "\"Version\"", "\"\\u0000\"", "\"\\uD800\"", "null", "true", "-0", "1e999", "0x1F", "/*", "*/", "'",
            "\u0000", "\uFEFF", "\uD800", "\uDC00", "\uFFFF", "\u2028", "𝒜");

    private PolicyGenerator() {
    }

    /** A policy of one to six statements, compact or pretty, a lone statement sometimes as an object. */
    static String policy(SplittableRandom random) {
        List<ObjectNode> statements = new ArrayList<>();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            statements.add(statement(random));
        }
        return render(statements, random.nextBoolean(), random.nextBoolean());
    }

    static ObjectNode statement(SplittableRandom random) {
        ObjectNode condition = JSON.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
            condition(condition, random);
        }
        return statement(pick(random, EFFECTS), principal(random), condition, random.nextInt(1000));
    }

    static String principal(SplittableRandom random) {
        return pick(random, PRINCIPALS);
    }

    /** Adds one [operator, key, value] entry to a Condition block; one to three values for the key. */
    static void condition(ObjectNode condition, SplittableRandom random) {
        JsonNode value = JSON.textNode(pick(random, VALUES));
        if (random.nextBoolean()) {
            ArrayNode values = JSON.arrayNode();
            for (int i = 2 + random.nextInt(2); i > 0; i--) {
                values.add(pick(random, VALUES));
            }
            value = values;
        }
        condition(condition, pick(random, OPERATORS), pick(random, KEYS), value);
    }

    /** Any text: random UTF-16 units (lone surrogates too), or JSON-ish pieces run together. */
    static String hostileText(SplittableRandom random) {
        boolean tokens = random.nextBoolean();
        StringBuilder text = new StringBuilder(tokens && random.nextBoolean() ? "{\"Statement\": [{" : "");
        for (int i = random.nextInt(256); i > 0; i--) {
            text.append(tokens ? pick(random, TOKENS) : String.valueOf(hostileChar(random)));
        }
        return text.toString();
    }

    /** Mostly JSON syntax and controls, else any UTF-16 unit. */
    static char hostileChar(SplittableRandom random) {
        String likely = "{}[],:\"\\ \n\u0000\u007f\uFEFF\uD800\uDC00\uFFFF0a*/";
        return random.nextBoolean() ? likely.charAt(random.nextInt(likely.length())) : (char) random.nextInt(0x10000);
    }

    static List<String> edgeCasePolicies() {
        ObjectNode harmless = statement("Allow", NONE, JSON.objectNode(), 0);
        ObjectNode leak = statement("Allow", EVERYONE, JSON.objectNode(), 999);
        ObjectNode own = statement("Allow", OWN_ACCOUNT, JSON.objectNode(), 1);
        ObjectNode untrusted = statement("Allow", UNTRUSTED, JSON.objectNode(), 2);
        ObjectNode conditions = JSON.objectNode();
        condition(conditions, "StringEquals", "aws:PrincipalAccount", JSON.arrayNode().add("111122223333").add("*"));
        condition(conditions, "StringEquals", "aws:PrincipalOrgID", JSON.textNode("o-trusted1234"));
        condition(conditions, "StringEquals", "AWS:principalaccount", JSON.textNode("999988887777"));
        ObjectNode limited = statement("Allow", EVERYONE, conditions, 3);
        List<String> policies = new ArrayList<>();
        for (boolean pretty : new boolean[] {false, true}) {
            for (ObjectNode alone : List.of(harmless, leak)) {
                policies.add(render(List.of(alone), true, pretty));
                policies.add(render(List.of(alone), false, pretty));
            }
            policies.add(render(List.of(leak, harmless), false, pretty));
            policies.add(render(List.of(harmless, leak), false, pretty));
            policies.add(render(List.of(leak, untrusted, leak, leak, untrusted, leak), false, pretty));
            policies.add(render(List.of(harmless, own, harmless, own, limited, harmless), false, pretty));
            policies.add(render(List.of(leak, own, untrusted, harmless, limited, leak), false, pretty));
        }
        for (String principal : PRINCIPALS) {
            policies.add(render(List.of(statement("Allow", principal, JSON.objectNode(), 4)), false, false));
        }
        for (String effect : List.of("Deny", "DENY", "allow", "Permit")) {
            policies.add(render(List.of(statement(effect, EVERYONE, JSON.objectNode(), 5)), true, false));
        }
        return policies;
    }

    static List<String> edgeCaseTexts() {
        return List.of("", " ", "\u0000", "\uD800", "null", "[]", "{}", "{", "\"{}\"", "\uFEFF{\"Statement\": []}",
                "{\"Statement\": []}", "{\"Statement\": {}}", "{\"Statement\": null}", "{\"Statement\": [1]}",
                "{\"Statement\": []} {}", "{\"Statement\": [], \"statement\": []}", "{\"Statement\": [{}, {}]}",
                "{\"Statement\": [" + "[".repeat(5000), "{\"Statement\": " + "{\"a\": ".repeat(2000));
    }

    static List<Character> edgeCaseChars() {
        return List.of('\u0000', ' ', '"', '{', '}', '[', ']', ',', ':', '\\', '\uD800', '\uFFFF');
    }

    static String render(List<ObjectNode> statements, boolean asObject, boolean pretty) {
        ObjectNode policy = JSON.objectNode().put("Version", "2012-10-17").put("Id", "generated");
        if (asObject && statements.size() == 1) {
            policy.set("Statement", statements.get(0));
        } else {
            ArrayNode list = policy.putArray("Statement");
            statements.forEach(list::add);
        }
        policy.putObject("x-owner").put("team", "payments");
        try {
            return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(policy)
                    : MAPPER.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode statement(String effect, String principal, ObjectNode condition, int sid) {
        ObjectNode statement = JSON.objectNode().put("Sid", "S" + sid).put("Effect", effect);
        try {
            statement.setAll((ObjectNode) MAPPER.readTree(principal));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        statement.put("Action", "dynamodb:GetItem").put("Resource", "*");
        if (!condition.isEmpty()) {
            statement.set("Condition", condition);
        }
        return statement;
    }

    /** A later entry under the same operator and key replaces the earlier one. */
    private static void condition(ObjectNode condition, String operator, String key, JsonNode value) {
        ObjectNode block = condition.has(operator) ? (ObjectNode) condition.get(operator)
                : condition.putObject(operator);
        block.set(key, value);
    }

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
