package dev.ddbwarden.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The smallest events an EventBridge pattern names, one for each value of each of its lists (and each branch
 * of each {@code $or}): a pattern {@code eventName: [CreateTable, DeleteTable]} gives two events. Together they
 * show every value the pattern lets through, so a second pattern that matches them all lets through at least
 * those values. Knows the matchers template.yaml uses (values, {@code exists}, {@code prefix}, {@code wildcard});
 * any other fails loudly rather than being skipped.
 */
final class PatternEvents {
    /** A field the pattern requires absent ({@code exists: false}): left out of the event. */
    private static final Object ABSENT = new Object();

    private PatternEvents() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> of(Map<String, Object> pattern) {
        List<Map<String, Object>> events = List.of(Map.of());
        for (Map.Entry<String, Object> entry : pattern.entrySet()) {
            List<Map<String, Object>> variants = new ArrayList<>();
            if (entry.getKey().equals("$or")) {
                for (Object branch : Template.list(entry.getValue())) {
                    variants.addAll(of((Map<String, Object>) branch));
                }
            } else if (entry.getValue() instanceof Map<?, ?> nested) {
                for (Map<String, Object> inner : of((Map<String, Object>) nested)) {
                    variants.add(Map.of(entry.getKey(), inner));
                }
            } else {
                for (Object matcher : Template.list(entry.getValue())) {
                    Object value = value(entry.getKey(), matcher);
                    variants.add(value == ABSENT ? Map.of() : Map.of(entry.getKey(), value));
                }
            }
            List<Map<String, Object>> combined = new ArrayList<>();
            for (Map<String, Object> event : events) {
                for (Map<String, Object> variant : variants) {
                    combined.add(merged(event, variant));
                }
            }
            events = combined;
        }
        return events;
    }

    /** A value {@code matcher} accepts. */
    private static Object value(String field, Object matcher) {
        if (!(matcher instanceof Map<?, ?> operator)) {
            return matcher;
        }
        if (operator.size() == 1 && operator.containsKey("exists")) {
            return Boolean.TRUE.equals(operator.get("exists")) ? "present" : ABSENT;
        }
        if (operator.size() == 1 && operator.containsKey("prefix")) {
            return operator.get("prefix") + "x";
        }
        if (operator.size() == 1 && operator.containsKey("wildcard")) {
            return String.valueOf(operator.get("wildcard")).replace("*", "x");
        }
        throw new IllegalArgumentException("no value for the matcher " + operator + " of " + field
                + ": teach PatternEvents this operator");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(Map<String, Object> one, Map<String, Object> other) {
        Map<String, Object> out = new LinkedHashMap<>(one);
        other.forEach((key, value) -> out.merge(key, value, (a, b) -> a instanceof Map<?, ?> && b instanceof Map<?, ?>
                ? merged((Map<String, Object>) a, (Map<String, Object>) b) : b));
        return out;
    }
}
