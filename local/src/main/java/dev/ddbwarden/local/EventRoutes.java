package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.event.ruler.Machine;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which functions EventBridge would invoke for an event, decided by Amazon's event-ruler (the engine
 * behind EventBridge patterns) over the patterns in template.yaml.
 */
public final class EventRoutes {
    private static final String SEPARATOR = "/";
    private final Machine machine;

    private EventRoutes(Machine machine) {
        this.machine = machine;
    }

    public static EventRoutes of(Template template) throws Exception {
        Machine machine = new Machine();
        ObjectMapper json = new ObjectMapper();
        for (String function : template.functionIds()) {
            for (var pattern : template.eventPatterns(function).entrySet()) {
                machine.addRule(function + SEPARATOR + pattern.getKey(), json.writeValueAsString(pattern.getValue()));
            }
        }
        return new EventRoutes(machine);
    }

    /** Logical IDs of the functions whose rules match the event. */
    public Set<String> functionsFor(String eventJson) throws Exception {
        Set<String> functions = new TreeSet<>();
        for (String rule : machine.rulesForJSONEvent(eventJson)) {
            functions.add(rule.substring(0, rule.indexOf(SEPARATOR)));
        }
        return functions;
    }
}
