package dev.ddbwarden.policy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reading the loose shapes IAM allows: names in any case, a value or a list of values. */
final class PolicyNodes {

    private PolicyNodes() {
    }

    /** The element called {@code name} in any case, or null. Duplicates were refused on parsing. */
    static JsonNode field(JsonNode object, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * A value or a list of values as text; empty when any of them is not a scalar (or is null), since
     * IAM would not read such a value either.
     */
    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!(value.isTextual() || value.isNumber() || value.isBoolean())) {
                return List.of();
            }
            values.add(value.asText());
        }
        return values;
    }
}
