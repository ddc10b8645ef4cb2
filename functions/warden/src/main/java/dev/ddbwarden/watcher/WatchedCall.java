package dev.ddbwarden.watcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Json;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One row of the watcher's table: an API call that can blind or disarm ddb-warden, where its record
 * names the resource, and what to tell people. template.yaml's watcher rules select the same calls;
 * a contract test holds the two together.
 *
 * @param eventSource CloudTrail's {@code eventSource}, such as {@code lambda.amazonaws.com}
 * @param eventName   the API action; with {@code versioned}, CloudTrail may add an API version
 *                    ({@code UpdateFunctionCode20150331v2})
 * @param fields      dotted paths in the record ({@code requestParameters.functionName}), tried in order; one
 *                    ending in {@code []} names a list ({@code requestParameters.names[]})
 * @param when        a boolean the request must carry for the call to matter, if any
 * @param what        one line with {@code {name}} for the resource
 * @param undo        how to put it back, with the same placeholders as {@link WatchedTarget}'s texts
 */
public record WatchedCall(String eventSource, String eventName, boolean versioned, WatchedTarget target,
                          List<String> fields, Optional<Condition> when, String what, String undo) {
    /** Lambda's CloudTrail event names carry the API version: a date, sometimes a revision. */
    private static final Pattern API_VERSION = Pattern.compile("\\d{8}(?:v\\d+)?");
    /** Marks a field that holds a list of names, each of which is read. */
    static final String LIST = "[]";

    public WatchedCall {
        fields = List.copyOf(fields);
    }

    /** Whether the call is this row's, before looking at which resource it names. */
    boolean matches(ApiCall call) {
        return eventSource.equals(call.eventSource()) && names(call.eventName())
                && when.map(c -> c.holds(call)).orElse(true);
    }

    private boolean names(String recorded) {
        if (recorded.equals(eventName)) {
            return true;
        }
        return versioned && recorded.startsWith(eventName)
                && API_VERSION.matcher(recorded.substring(eventName.length())).matches();
    }

    /** The texts at {@link #fields}, in order, skipping the absent; a field ending in {@code []} gives each text of its list. */
    List<String> named(ApiCall call) {
        return fields.stream().flatMap(field -> texts(call, field)).filter(s -> !s.isEmpty()).toList();
    }

    private static Stream<String> texts(ApiCall call, String field) {
        if (!field.endsWith(LIST)) {
            return Stream.of(Json.text(root(call, field), rest(field)));
        }
        String path = field.substring(0, field.length() - LIST.length());
        JsonNode list = Json.at(root(call, path), rest(path));
        return list == null || !list.isArray() ? Stream.empty()
                : StreamSupport.stream(list.spliterator(), false).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    private static JsonNode root(ApiCall call, String field) {
        return field.startsWith("responseElements.") ? call.responseElements() : call.requestParameters();
    }

    private static String[] rest(String field) {
        String[] path = field.split("\\.");
        return java.util.Arrays.copyOfRange(path, 1, path.length);
    }

    /**
     * A boolean in the request that must hold: {@code deletionProtectionEnabled} false on UpdateTable.
     *
     * @param path dotted path under {@code requestParameters}
     */
    public record Condition(String path, boolean value) {
        boolean holds(ApiCall call) {
            JsonNode node = Json.at(call.requestParameters(), path.split("\\."));
            return node != null && node.isBoolean() && node.booleanValue() == value;
        }
    }
}
