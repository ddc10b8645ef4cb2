package dev.ddbwarden.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.event.ruler.Machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why no rule matched an event: the pattern that came closest, and which of its conditions the event fails.
 * A pattern is split into its conditions (each field's list of values, each {@code $or}), and event-ruler
 * judges each one alone, as it judges the whole pattern.
 */
final class NearestRule {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 160;

    /** One condition of a pattern: the field at {@code path} (or, for {@code $or}, the object there) and its values. */
    record Condition(List<String> path, String key, Object values) {
        String field() {
            List<String> parts = new ArrayList<>(path);
            parts.add(key);
            return String.join(".", parts);
        }
    }

    /** The closest rule, how many of its conditions held, and the ones that did not. */
    record Verdict(String rule, int held, int of, List<Condition> failed) {
    }

    private NearestRule() {
    }

    /** The rule whose conditions the event satisfies most (the largest share, then the most), if any rule exists. */
    static Optional<Verdict> of(Map<String, Object> patterns, String eventJson) throws Exception {
        Verdict best = null;
        for (var entry : patterns.entrySet()) {
            List<Condition> conditions = new ArrayList<>();
            split(entry.getValue(), List.of(), conditions);
            List<Condition> failed = new ArrayList<>();
            for (Condition condition : conditions) {
                if (!holds(condition, eventJson)) {
                    failed.add(condition);
                }
            }
            Verdict verdict = new Verdict(entry.getKey(), conditions.size() - failed.size(), conditions.size(), failed);
            if (best == null || closer(verdict, best)) {
                best = verdict;
            }
        }
        return Optional.ofNullable(best);
    }

    /** A condition as a person reads it, with what the event holds there. */
    static String describe(Condition condition, JsonNode event) {
        String wanted = abbreviated(text(condition.values()));
        if (condition.key().equals("$or")) {
            return (condition.path().isEmpty() ? "" : String.join(".", condition.path()) + ": ") + "none of $or " + wanted;
        }
        JsonNode actual = event;
        for (String part : condition.path()) {
            actual = actual.path(part);
        }
        actual = actual.path(condition.key());
        return condition.field() + " must be " + wanted + "; the event has "
                + (actual.isMissingNode() ? "no such field" : abbreviated(actual.toString()));
    }

    private static boolean closer(Verdict a, Verdict b) {
        long left = (long) a.held() * b.of();
        long right = (long) b.held() * a.of();
        return left != right ? left > right : a.held() > b.held();
    }

    private static void split(Object pattern, List<String> path, List<Condition> into) {
        if (!(pattern instanceof Map<?, ?> map)) {
            return;
        }
        map.forEach((key, value) -> {
            String name = String.valueOf(key);
            if (value instanceof Map<?, ?>) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                split(value, deeper, into);
            } else {
                into.add(new Condition(path, name, value));
            }
        });
    }

    private static boolean holds(Condition condition, String eventJson) throws Exception {
        Map<String, Object> pattern = new LinkedHashMap<>();
        pattern.put(condition.key(), condition.values());
        for (int i = condition.path().size() - 1; i >= 0; i--) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put(condition.path().get(i), pattern);
            pattern = outer;
        }
        Machine machine = new Machine();
        machine.addRule("condition", JSON.writeValueAsString(pattern));
        return !machine.rulesForJSONEvent(eventJson).isEmpty();
    }

    private static String text(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
    }
}
