package dev.ddbwarden.rules.tablekey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.JsonText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a key policy takes DynamoDB's use of the key away: a Deny statement on the calls DynamoDB makes with a
 * table's key, for everyone or this account's principals, unconditional or conditioned on DynamoDB (kms:ViaService,
 * DynamoDB's encryption context). An explicit deny in the key policy overrides the grants DynamoDB holds. A Deny
 * conditioned on anything else is not judged here: ddb-warden cannot evaluate the condition, and a CRITICAL alert
 * on a guess would teach people to ignore the rule's alerts.
 */
final class KeyPolicyDenial {
    /** The calls DynamoDB makes with a table's customer managed key (How Amazon DynamoDB uses AWS KMS). */
    static final List<String> DYNAMODB_USES = List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey",
            "kms:CreateGrant");

    private KeyPolicyDenial() {
    }

    /** The first statement of {@code policy} that denies DynamoDB the key, quoted for the alert; empty when none. */
    static Optional<String> in(String policy, String accountId) {
        JsonNode document;
        try {
            document = JsonText.read(policy);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        JsonNode statements = document == null ? null : document.get("Statement");
        List<JsonNode> each = new ArrayList<>();
        if (statements != null && statements.isArray()) {
            statements.forEach(each::add);
        } else if (statements != null && statements.isObject()) {
            each.add(statements);
        }
        return each.stream().filter(s -> denies(s, accountId)).findFirst().map(s -> Excerpt.line(s.toString()));
    }

    private static boolean denies(JsonNode statement, String accountId) {
        return "Deny".equals(statement.path("Effect").asText())
                && coversEveryone(statement.get("Principal"), accountId)
                && coversDynamoDbCalls(statement)
                && (!statement.has("Condition") || statement.get("Condition").toString().toLowerCase(Locale.ROOT)
                .contains("dynamodb"));
    }

    private static boolean coversEveryone(JsonNode principal, String accountId) {
        if (principal == null) {
            return false;
        }
        if (principal.isTextual()) {
            return "*".equals(principal.asText());
        }
        for (String name : strings(principal.get("AWS"))) {
            if (name.equals("*") || name.equals(accountId) || name.endsWith(":" + accountId + ":root")) {
                return true;
            }
        }
        return strings(principal.get("Service")).stream().anyMatch(s -> s.startsWith("dynamodb."));
    }

    private static boolean coversDynamoDbCalls(JsonNode statement) {
        if (statement.has("NotAction")) {
            List<String> excluded = strings(statement.get("NotAction"));
            return DYNAMODB_USES.stream().anyMatch(call -> excluded.stream().noneMatch(p -> matches(p, call)));
        }
        List<String> actions = strings(statement.get("Action"));
        return DYNAMODB_USES.stream().anyMatch(call -> actions.stream().anyMatch(p -> matches(p, call)));
    }

    /** IAM's action matching: case-insensitive, {@code *} and {@code ?} as wildcards. */
    static boolean matches(String pattern, String action) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(action).matches();
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        }
        return values;
    }
}
