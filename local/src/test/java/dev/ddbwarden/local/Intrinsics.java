package dev.ddbwarden.local;

import java.util.List;
import java.util.Map;

/** Template values as CloudFormation evaluates them, where the tests compare or measure them. */
final class Intrinsics {
    private Intrinsics() {
    }

    /**
     * An Fn::Sub whose variables are literal strings (template.yaml's loops name functions and rules so, with the
     * name from Mappings) as the Fn::Sub of its text; any other value as it is.
     */
    static Object inlined(Object value) {
        List<Object> args = Template.list(Template.map(value).get("Fn::Sub"));
        if (args.size() != 2 || !Template.map(args.get(1)).values().stream().allMatch(v -> v instanceof String)) {
            return value;
        }
        String text = String.valueOf(args.get(0));
        for (Map.Entry<String, Object> variable : Template.map(args.get(1)).entrySet()) {
            text = text.replace("${" + variable.getKey() + "}", String.valueOf(variable.getValue()));
        }
        return Map.of("Fn::Sub", text);
    }
}
