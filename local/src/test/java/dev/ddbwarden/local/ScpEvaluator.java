package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether service control policies deny one request: the subset of IAM's evaluation the shipped SCPs use
 * (Deny statements; Action and Resource globs; ArnLike, ArnNotLike, StringLike, ForAnyValue:StringLike). An
 * operator it does not know fails the test rather than guessing.
 */
final class ScpEvaluator {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One API request as IAM sees it.
     *
     * @param action   such as {@code lambda:UpdateFunctionCode}
     * @param resource the ARN the action is authorized against
     * @param context  condition keys and their values, {@code aws:PrincipalArn} among them
     */
    record Request(String action, String resource, Map<String, List<String>> context) {
    }

    private final List<JsonNode> statements = new ArrayList<>();

    static ScpEvaluator of(List<Path> files) throws IOException {
        ScpEvaluator evaluator = new ScpEvaluator();
        for (Path file : files) {
            JSON.readTree(file.toFile()).path("Statement").forEach(evaluator.statements::add);
        }
        return evaluator;
    }

    /** The Sid of the first statement that denies the request, if any. */
    Optional<String> denyingStatement(Request request) {
        return statements.stream()
                .filter(s -> s.path("Effect").asText().equals("Deny"))
                .filter(s -> anyMatches(strings(s.get("Action")), request.action(), true))
                .filter(s -> anyMatches(strings(s.get("Resource")), request.resource(), false))
                .filter(s -> conditionsHold(s.path("Condition"), request.context()))
                .map(s -> s.path("Sid").asText())
                .findFirst();
    }

    private static boolean conditionsHold(JsonNode condition, Map<String, List<String>> context) {
        for (var operator : iterable(condition)) {
            for (var key : iterable(operator.getValue())) {
                List<String> patterns = strings(key.getValue());
                List<String> values = context.getOrDefault(key.getKey(), List.of());
                boolean anyValueMatches = values.stream().anyMatch(v -> anyMatches(patterns, v, false));
                boolean holds = switch (operator.getKey()) {
                    case "ArnLike", "StringLike", "ForAnyValue:StringLike" -> anyValueMatches;
                    case "ArnNotLike", "StringNotLike" -> !anyValueMatches;
                    default -> throw new AssertionError("the evaluator does not know " + operator.getKey());
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one; actions ignore case. */
    private static boolean anyMatches(List<String> patterns, String value, boolean ignoreCase) {
        return patterns.stream().anyMatch(pattern -> {
            String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
        });
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(each -> values.add(each.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }
}
