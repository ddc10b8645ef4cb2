package dev.ddbwarden.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resolves template values as sam local invoke does: parameters take their defaults (or overrides),
 * pseudo parameters take local values, and references to the stack's own resources, which have no
 * local value, resolve to empty. The alert key is the exception: CloudFormation names it at random, so
 * the samples in events/ name a stand-in key, and the watcher's pattern and environment resolve to it.
 */
final class TemplateValues {
    /** The stack name samconfig.toml deploys by default; the events in events/ name its resources. */
    static final String STACK_NAME = "ddb-warden";
    /** The alert key's ID in the samples (a deployed stack's is random). */
    static final String ALERT_KEY_ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, Object> parameters;
    private final Map<String, String> overrides;
    private final Map<String, String> pseudo;
    /** {@code Ref} and {@code Fn::GetAtt} values ({@code Logical.Attribute}) of the resources that have one here. */
    private final Map<String, String> resources;

    TemplateValues(Map<String, Object> parameters, Map<String, String> overrides, String region, String account) {
        this.parameters = parameters;
        this.overrides = overrides;
        this.pseudo = Map.of(
                "AWS::Region", region,
                "AWS::AccountId", account,
                "AWS::Partition", "aws",
                "AWS::StackName", STACK_NAME,
                "AWS::URLSuffix", "amazonaws.com",
                "AWS::NoValue", "");
        this.resources = Map.of(
                "AlertKey", ALERT_KEY_ID,
                "AlertKey.Arn", alertKeyArn(region, account));
    }

    static String alertKeyArn(String region, String account) {
        return "arn:aws:kms:" + region + ":" + account + ":key/" + ALERT_KEY_ID;
    }

    String resolve(Object value) {
        Object resolved = evaluate(value);
        return resolved instanceof List<?> items
                ? items.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(resolved);
    }

    /**
     * A document (an event pattern, a policy) with every intrinsic function in it ({@code Ref}, {@code Fn::...})
     * replaced by its value; {@code Fn::Split} gives a list, as CloudFormation's does.
     */
    Object resolveWithin(Object document) {
        return resolveWithin(document, Map.of());
    }

    /**
     * As {@link #resolveWithin(Object)}, choosing each {@code Fn::If} by its condition among {@code conditions} (the
     * template's, each an {@code Fn::Equals}) and leaving out what it chooses to be {@code AWS::NoValue}.
     */
    Object resolveWithin(Object document, Map<String, Object> conditions) {
        Object resolved = within(document, conditions);
        return resolved == NO_VALUE ? null : resolved;
    }

    /** What an Fn::If leaves out of its list or map. */
    private static final Object NO_VALUE = new Object();

    private Object within(Object document, Map<String, Object> conditions) {
        if (document instanceof Map<?, ?> map) {
            String function = map.size() == 1 ? String.valueOf(map.keySet().iterator().next()) : "";
            if (function.equals("Fn::If")) {
                List<Object> args = Template.list(map.get(function));
                Object chosen = holds(conditions, String.valueOf(args.get(0))) ? args.get(1) : args.get(2);
                return Map.of("Ref", "AWS::NoValue").equals(chosen) ? NO_VALUE : within(chosen, conditions);
            }
            if (function.equals("Fn::Split")) {
                List<Object> args = Template.list(map.get(function));
                return List.of(resolve(args.get(1)).split(Pattern.quote(String.valueOf(args.get(0)))));
            }
            if (function.matches("Ref|Fn::.*")) {
                return resolve(document);
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                Object kept = within(value, conditions);
                if (kept != NO_VALUE) {
                    copy.put(String.valueOf(key), kept);
                }
            });
            return copy;
        }
        if (document instanceof List<?> list) {
            return list.stream().map(item -> within(item, conditions)).filter(item -> item != NO_VALUE).collect(Collectors.toList());
        }
        return document;
    }

    /** A condition of the template, as CloudFormation decides it: here only {@code Fn::Equals} of two values. */
    private boolean holds(Map<String, Object> conditions, String name) {
        Object condition = conditions.get(name);
        if (condition == null) {
            throw new IllegalArgumentException("the template has no condition " + name);
        }
        List<Object> equals = Template.list(Template.map(condition).get("Fn::Equals"));
        return resolve(equals.get(0)).equals(resolve(equals.get(1)));
    }

    private Object evaluate(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            String function = String.valueOf(only.getKey());
            Object argument = only.getValue();
            switch (function) {
                case "Ref":
                    return reference(String.valueOf(argument));
                case "Fn::Join": {
                    List<Object> args = Template.list(argument);
                    Object items = evaluate(args.get(1));
                    List<Object> parts = items instanceof List<?> l ? List.copyOf(l) : List.of(items);
                    return parts.stream().map(this::resolve).filter(s -> !s.isEmpty())
                            .collect(Collectors.joining(String.valueOf(args.get(0))));
                }
                case "Fn::Sub":
                    return substitute(String.valueOf(argument instanceof List<?> l ? l.get(0) : argument));
                case "Fn::GetAtt":
                    return resources.getOrDefault(Template.list(argument).stream().map(String::valueOf)
                            .collect(Collectors.joining(".")), "");
                default:
                    return "";
            }
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::evaluate).collect(Collectors.toList());
        }
        return value == null ? "" : value;
    }

    private Object reference(String name) {
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        if (resources.containsKey(name)) {
            return resources.get(name);
        }
        Map<String, Object> parameter = Template.map(parameters.get(name));
        if (parameter.isEmpty()) {
            return "";
        }
        String raw = overrides.containsKey(name)
                ? overrides.get(name)
                : String.valueOf(parameter.getOrDefault("Default", ""));
        if (String.valueOf(parameter.get("Type")).contains("List")) {
            return raw.isEmpty() ? List.of() : List.of((Object[]) raw.split(","));
        }
        return raw;
    }

    private String substitute(String text) {
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = name.contains(".") ? "" : resolve(Map.of("Ref", name));
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
