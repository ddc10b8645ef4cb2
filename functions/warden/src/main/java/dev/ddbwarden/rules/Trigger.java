package dev.ddbwarden.rules;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One CloudTrail call a rule reads, and the request fields its EventBridge pattern filters that call on
 * (dotted paths under {@code requestParameters}, as the pattern nests them; none when every such call counts).
 * TemplatePatternContractTest holds the rule's function's patterns to exactly these.
 */
public record Trigger(String eventName, Set<String> requestFields) {

    public Trigger {
        requestFields = Set.copyOf(requestFields);
    }

    /** A call that counts whatever its request says. */
    public static Trigger on(String eventName) {
        return new Trigger(eventName, Set.of());
    }

    /** A call that counts only when its request has these fields (with the values the pattern names). */
    public static Trigger on(String eventName, String... requestFields) {
        return new Trigger(eventName, Set.of(requestFields));
    }

    static Set<String> eventNames(List<Trigger> triggers) {
        Set<String> names = new LinkedHashSet<>();
        triggers.forEach(t -> names.add(t.eventName()));
        return Set.copyOf(names);
    }
}
