package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A function's JSON result in a few words, as {@code replay-failures} and {@code deliver} report it. */
final class Outcome {
    private Outcome() {
    }

    /** {@code MEDIUM FIXED, alert sent} per table the function judged, or why it did nothing. */
    static String of(JsonNode result) {
        if (result.has("ignored")) {
            return ignored(result);
        }
        List<String> each = new ArrayList<>();
        result.path("results").forEach(r -> each.add(action(r)));
        return each.isEmpty() ? "nothing to do" : String.join(", ", each);
    }

    /** One line per table the function judged ({@code deletion-protection on orders: MEDIUM FIXED, alert sent}). */
    static List<String> perTable(JsonNode result) {
        if (result.has("ignored")) {
            return List.of(ignored(result));
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode r : result.path("results")) {
            String table = r.path("table").asText();
            lines.add(r.path("rule").asText("?") + (table.isEmpty() ? "" : " on " + table) + ": " + action(r));
        }
        return lines.isEmpty() ? List.of("nothing to do") : lines;
    }

    private static String ignored(JsonNode result) {
        return "ignored (" + result.get("ignored").asText() + ")";
    }

    private static String action(JsonNode r) {
        String severity = r.path("severity").asText();
        return (severity.isEmpty() ? "" : severity + " ") + r.path("action").asText() + ", alert " + r.path("alert").asText();
    }
}
