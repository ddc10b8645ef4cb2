package dev.ddbwarden.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** template.yaml as the runner and the project-wide tests read it: as CloudFormation hands it to the SAM transform. */
public final class Template {
    private final Map<String, Object> root;

    private Template(Map<String, Object> root) {
        this.root = root;
    }

    public static Template read(Path file) throws IOException {
        return new Template(LanguageExtensions.expand(CfnYaml.read(file)));
    }

    /** The whole template, its AWS::LanguageExtensions constructs expanded, as the SAM transform receives it. */
    Map<String, Object> root() {
        return root;
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> parameters() {
        return map(root.get("Parameters"));
    }

    public Map<String, Object> conditions() {
        return map(root.get("Conditions"));
    }

    public Map<String, Object> resource(String logicalId) {
        return map(resources().get(logicalId));
    }

    /** Logical IDs of every AWS::Serverless::Function. */
    public List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, body) -> {
            if ("AWS::Serverless::Function".equals(map(body).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    public Optional<FunctionSpec> function(String logicalId) {
        Map<String, Object> resource = resource(logicalId);
        if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
            return Optional.empty();
        }
        Map<String, Object> properties = map(resource.get("Properties"));
        Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
        Map<String, Object> environment = new LinkedHashMap<>(map(map(map(globals.get("Environment")).get("Variables"))));
        environment.putAll(map(map(properties.get("Environment")).get("Variables")));
        return Optional.of(new FunctionSpec(
                logicalId,
                String.valueOf(properties.getOrDefault("Handler", globals.get("Handler"))),
                number(properties.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128))),
                number(properties.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3))),
                environment));
    }

    /** A function's property as SAM reads it: the function's own, else the Globals' (CodeUri, Handler). */
    public Object functionProperty(String logicalId, String key) {
        Map<String, Object> properties = map(resource(logicalId).get("Properties"));
        return properties.getOrDefault(key, map(map(root.get("Globals")).get("Function")).get(key));
    }

    /** The EventBridge patterns that invoke a function, by event name in the template. */
    public Map<String, Object> eventPatterns(String functionId) {
        Map<String, Object> patterns = new LinkedHashMap<>();
        map(map(resource(functionId).get("Properties")).get("Events")).forEach((name, event) -> {
            Map<String, Object> body = map(event);
            if ("EventBridgeRule".equals(body.get("Type")) || "CloudWatchEvent".equals(body.get("Type"))) {
                patterns.put(name, map(body.get("Properties")).get("Pattern"));
            }
        });
        return patterns;
    }

    /** The statements of a role's inline policies. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> roleStatements(String roleId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : list(map(resource(roleId).get("Properties")).get("Policies"))) {
            Object statement = map(map(policy).get("PolicyDocument")).get("Statement");
            for (Object each : list(statement)) {
                statements.add((Map<String, Object>) each);
            }
        }
        return statements;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value instanceof List) {
            return (List<Object>) value;
        }
        return value == null ? List.of() : List.of(value);
    }

    private static int number(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    }
}
