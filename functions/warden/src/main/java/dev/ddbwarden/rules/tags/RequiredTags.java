package dev.ddbwarden.rules.tags;

import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.event.Excerpt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * REQUIRED_TAGS: the tag keys every table carries, each optionally with the values it may take, as
 * {@code owner,env=prod|staging}. Keys and values are letters, digits and {@code _ . : / + -} (DynamoDB allows
 * more: spaces and {@code =} would make the list ambiguous), keys up to 128 characters and values up to 256, as
 * DynamoDB's tags. {@link #SYNTAX} is template.yaml's AllowedPattern for the RequiredTags parameter, so that
 * CloudFormation refuses at deploy what a function would refuse at start. Pure.
 *
 * @param byKey each required key, with the values it may take (in order), empty when any value will do
 */
record RequiredTags(Map<String, Set<String>> byKey) {
    private static final String WORD = "[A-Za-z0-9_.:/+-]";
    private static final String ENTRY = WORD + "{1,128}( *= *" + WORD + "{1,256}( *\\| *" + WORD + "{1,256})*)?";
    /** The whole setting: empty, or entries separated by commas, spaces allowed around the separators. */
    static final String SYNTAX = "^ *(" + ENTRY + " *(, *" + ENTRY + " *)*)?$";
    private static final Pattern WHOLE = Pattern.compile(SYNTAX);
    static final RequiredTags NONE = new RequiredTags(Map.of());

    RequiredTags {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        byKey.forEach((key, values) -> copy.put(key, Collections.unmodifiableSet(new LinkedHashSet<>(values))));
        byKey = Collections.unmodifiableMap(copy);
    }

    static RequiredTags parse(String raw) {
        if (!WHOLE.matcher(raw).matches()) {
            throw new ConfigException(TagsRule.REQUIRED_TAGS.name(), "'" + raw + "' is not key or key=value|value entries"
                    + " separated by commas (letters, digits and _ . : / + - only)");
        }
        Map<String, Set<String>> byKey = new LinkedHashMap<>();
        for (String entry : raw.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] keyAndValues = entry.split("=", 2);
            String key = keyAndValues[0].strip();
            Set<String> values = new LinkedHashSet<>();
            if (keyAndValues.length == 2) {
                for (String value : keyAndValues[1].split("\\|")) {
                    values.add(value.strip());
                }
            }
            if (byKey.put(key, values) != null) {
                throw new ConfigException(TagsRule.REQUIRED_TAGS.name(), key + " is given twice");
            }
        }
        return new RequiredTags(byKey);
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    /** What {@code tags} lack of the requirements, one phrase each, in the requirements' order; empty when none. */
    List<String> problems(Map<String, String> tags) {
        List<String> problems = new ArrayList<>();
        byKey.forEach((key, allowed) -> {
            String value = tags.get(key);
            if (value == null) {
                problems.add("no " + key + " tag");
            } else if (!allowed.isEmpty() && !allowed.contains(value)) {
                problems.add(key + "=" + Excerpt.line(value) + " is not " + String.join(" or ", allowed));
            }
        });
        return problems;
    }

    /** The requirements of the keys among {@code keys}. */
    RequiredTags only(Set<String> keys) {
        Map<String, Set<String>> kept = new LinkedHashMap<>(byKey);
        kept.keySet().retainAll(keys);
        return new RequiredTags(kept);
    }

    /** The requirements as a person reads them: {@code owner, env (prod or staging)}. */
    String describe() {
        List<String> each = new ArrayList<>();
        byKey.forEach((key, allowed) -> each.add(allowed.isEmpty() ? key : key + " (" + String.join(" or ", allowed) + ")"));
        return String.join(", ", each);
    }
}
