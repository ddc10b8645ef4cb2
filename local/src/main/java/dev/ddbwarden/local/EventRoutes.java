package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.event.ruler.Machine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which functions EventBridge would invoke for an event, decided by Amazon's event-ruler (the engine
 * behind EventBridge patterns) over the patterns in template.yaml. Intrinsic functions inside a pattern
 * ({@code prefix: !Sub "${AWS::StackName}-"}) are resolved as CloudFormation would, with the local
 * pseudo parameters (stack ddb-warden, account 123456789012, us-east-1).
 */
public final class EventRoutes {
    private static final String SEPARATOR = "/";
    private final Machine machine;
    private final Map<String, Object> patterns;

    private EventRoutes(Machine machine, Map<String, Object> patterns) {
        this.machine = machine;
        this.patterns = patterns;
    }

    public static EventRoutes of(Template template) throws Exception {
        return of(template, Map.of());
    }

    /** The routes of a stack deployed with {@code parameterOverrides} (SAM's --parameter-overrides). */
    static EventRoutes of(Template template, Map<String, String> parameterOverrides) throws Exception {
        Machine machine = new Machine();
        Map<String, Object> patterns = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        TemplateValues values = new TemplateValues(template.parameters(), parameterOverrides, LocalAws.REGION, LocalAws.ACCOUNT);
        for (String function : template.functionIds()) {
            for (var pattern : template.eventPatterns(function).entrySet()) {
                Object resolved = values.resolveWithin(pattern.getValue());
                patterns.put(rule(function, pattern.getKey()), resolved);
                machine.addRule(rule(function, pattern.getKey()), json.writeValueAsString(resolved));
            }
        }
        return new EventRoutes(machine, patterns);
    }

    /** Every rule's pattern, intrinsic functions resolved, by the rule's name as {@link #rulesFor} gives it. */
    Map<String, Object> patterns() {
        return patterns;
    }

    /** Logical IDs of the functions whose rules match the event. */
    public Set<String> functionsFor(String eventJson) throws Exception {
        Set<String> functions = new TreeSet<>();
        for (String rule : rulesFor(eventJson)) {
            functions.add(rule.substring(0, rule.indexOf(SEPARATOR)));
        }
        return functions;
    }

    /** The rules that match the event, each as {@code Function/EventName} (the function's event source). */
    public Set<String> rulesFor(String eventJson) throws Exception {
        return new TreeSet<>(machine.rulesForJSONEvent(eventJson));
    }

    /** How {@link #rulesFor} names the rule of {@code function}'s event source {@code event}. */
    public static String rule(String function, String event) {
        return function + SEPARATOR + event;
    }
}
