package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.JsonNode;

/** Lenient reads of untrusted JSON: a missing node or a node of the wrong type reads as absent. */
public final class Json {
    private Json() {
    }

    public static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String step : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(step);
        }
        return current;
    }

    /** The string at {@code path}, or empty when it is absent or not a string. */
    public static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value != null && value.isTextual() ? value.asText() : "";
    }
}
