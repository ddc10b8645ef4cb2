package dev.ddbwarden.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What CloudFormation's AWS::LanguageExtensions transform does to a template before the SAM transform sees it,
 * for the forms template.yaml uses ("Fn::ForEach", "AWS::LanguageExtensions transform" in the CloudFormation
 * Template Reference):
 * <ul>
 *   <li>{@code Fn::ForEach::Loop: [Identifier, [literal, ...], {OutputKey: OutputValue, ...}]} in the Conditions,
 *       Resources and Outputs sections, at any depth and nested: each item of the collection yields a copy of the
 *       fragment in which {@code ${Identifier}} becomes the item and {@code &{Identifier}} the item without its
 *       non-alphanumeric characters, in every key and every Fn::Sub string, and {@code !Ref Identifier} the item;</li>
 *   <li>an intrinsic function as the argument of Ref or Fn::GetAtt ({@code !Ref {Fn::Sub: "${Rule}Function"}}),
 *       and Fn::FindInMap whose keys are then literal, resolved to their values.</li>
 * </ul>
 * A collection it cannot resolve here (a Ref to a parameter), or a loop that yields a key twice, is an error:
 * `sam build` likewise accepts only collections it can resolve locally.
 */
final class LanguageExtensions {
    static final String TRANSFORM = "AWS::LanguageExtensions";
    private static final String FOR_EACH = "Fn::ForEach::";
    private static final Set<String> LOOP_SECTIONS = Set.of("Conditions", "Resources", "Outputs");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^!]");
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^0-9A-Za-z]");

    private LanguageExtensions() {
    }

    /** The template as the SAM transform receives it; the template itself when it does not use the transform. */
    static Map<String, Object> expand(Map<String, Object> template) {
        List<Object> transforms = Template.list(template.get("Transform"));
        if (!transforms.contains(TRANSFORM)) {
            return template;
        }
        Map<String, Object> mappings = Template.map(template.get("Mappings"));
        Map<String, Object> out = new LinkedHashMap<>();
        template.forEach((section, body) -> {
            if (section.equals("Transform")) {
                List<Object> rest = new ArrayList<>(transforms);
                rest.remove(TRANSFORM);
                if (!rest.isEmpty()) {
                    out.put(section, rest.size() == 1 ? rest.get(0) : rest);
                }
            } else if (LOOP_SECTIONS.contains(section)) {
                out.put(section, resolve(loops(body), mappings));
            } else {
                if (mentionsLoop(body)) {
                    throw new IllegalArgumentException("Fn::ForEach cannot be used in the " + section + " section");
                }
                out.put(section, body);
            }
        });
        return out;
    }

    /** Every Fn::ForEach under {@code value} replaced by what it yields. */
    private static Object loops(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, body) -> {
                String name = String.valueOf(key);
                if (name.startsWith(FOR_EACH)) {
                    unrolled(name, body).forEach((k, v) -> putOnce(out, k, v, name));
                } else {
                    putOnce(out, name, loops(body), name);
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(LanguageExtensions::loops).toList();
        }
        return value;
    }

    private static Map<String, Object> unrolled(String loop, Object body) {
        List<Object> parts = Template.list(body);
        if (parts.size() != 3 || !(parts.get(0) instanceof String identifier) || !(parts.get(2) instanceof Map)) {
            throw new IllegalArgumentException(loop + " must be [Identifier, Collection, {OutputKey: OutputValue}]");
        }
        if (!(parts.get(1) instanceof List<?> collection)) {
            throw new IllegalArgumentException(loop + ": only a literal list of strings can be expanded here, not "
                    + parts.get(1));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object item : collection) {
            if (!(item instanceof String value)) {
                throw new IllegalArgumentException(loop + ": the collection's items must be strings, not " + item);
            }
            Template.map(loops(substituted(parts.get(2), identifier, value))).forEach((k, v) -> putOnce(out, k, v, loop));
        }
        return out;
    }

    private static void putOnce(Map<String, Object> out, String key, Object value, String loop) {
        if (out.putIfAbsent(key, value) != null) {
            throw new IllegalArgumentException(loop + " yields " + key + ", which the template already has");
        }
    }

    private static Object substituted(Object value, String identifier, String item) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Ref") && identifier.equals(map.get("Ref"))) {
                return item;
            }
            if (map.size() == 1 && map.containsKey("Fn::Sub")) {
                Object argument = map.get("Fn::Sub");
                if (argument instanceof String text) {
                    return literal(Map.of("Fn::Sub", text(text, identifier, item)));
                }
                List<Object> args = new ArrayList<>(Template.list(argument));
                args.set(0, text(String.valueOf(args.get(0)), identifier, item));
                for (int i = 1; i < args.size(); i++) {
                    args.set(i, substituted(args.get(i), identifier, item));
                }
                return Map.of("Fn::Sub", args);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, body) -> out.put(text(String.valueOf(key), identifier, item), substituted(body, identifier, item)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(each -> substituted(each, identifier, item)).toList();
        }
        return value;
    }

    private static String text(String text, String identifier, String item) {
        return text.replace("${" + identifier + "}", item)
                .replace("&{" + identifier + "}", NON_ALPHANUMERIC.matcher(item).replaceAll(""));
    }

    /** Ref and Fn::GetAtt arguments given as intrinsics, and Fn::FindInMap, resolved where now literal. */
    private static Object resolve(Object value, Map<String, Object> mappings) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, body) -> out.put(String.valueOf(key), resolve(body, mappings)));
            if (out.size() == 1) {
                Map.Entry<String, Object> only = out.entrySet().iterator().next();
                switch (only.getKey()) {
                    case "Ref":
                        return Map.of("Ref", literal(only.getValue()));
                    case "Fn::GetAtt":
                        return Map.of("Fn::GetAtt", Template.list(only.getValue()).stream()
                                .map(LanguageExtensions::literal).toList());
                    case "Fn::FindInMap":
                        return found(Template.list(only.getValue()), mappings, out);
                    default:
                        return out;
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(each -> resolve(each, mappings)).toList();
        }
        return value;
    }

    /** An Fn::Sub left without variables is its text, as the transform's documented examples show it. */
    private static Object literal(Object argument) {
        if (argument instanceof Map<?, ?> map && map.size() == 1 && map.get("Fn::Sub") instanceof String text
                && !VARIABLE.matcher(text).find()) {
            return text;
        }
        return argument;
    }

    private static Object found(List<Object> keys, Map<String, Object> mappings, Object unresolved) {
        List<Object> literal = keys.stream().map(LanguageExtensions::literal).toList();
        if (literal.size() != 3 || !literal.stream().allMatch(k -> k instanceof String)) {
            return unresolved;
        }
        Object value = Template.map(Template.map(mappings.get(literal.get(0))).get(literal.get(1))).get(literal.get(2));
        if (value == null) {
            throw new IllegalArgumentException("Fn::FindInMap " + literal + " names no value in Mappings");
        }
        return value;
    }

    private static boolean mentionsLoop(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.keySet().stream().anyMatch(k -> String.valueOf(k).startsWith(FOR_EACH))
                    || map.values().stream().anyMatch(LanguageExtensions::mentionsLoop);
        }
        return value instanceof List<?> list && list.stream().anyMatch(LanguageExtensions::mentionsLoop);
    }
}
