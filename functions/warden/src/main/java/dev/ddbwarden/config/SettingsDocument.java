package dev.ddbwarden.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings parameter's text: one {@code KEY=value} line per setting, keys being the environment
 * variables' names (template.yaml's SettingsParameter writes it). Only the shape is checked here; the
 * values are Settings' and SweepSettings' to validate, as they would be from the environment. The local
 * runner reads the document it writes into moto_server with this same parser.
 */
public final class SettingsDocument {
    /**
     * Keys every document template.yaml writes carries, and whose absence would leave the decisive
     * settings to defaults: a document without them is damaged or not ours, and is refused.
     */
    static final Set<String> REQUIRED = Set.of(EnvVar.REMEDIATION_MODE, EnvVar.ALLOWED_REGIONS);
    private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]*");

    private SettingsDocument() {
    }

    /** @throws ConfigException naming the parameter when a line is not {@code KEY=value}, repeats a key or a required key is missing */
    public static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text == null ? new String[0] : text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            String key = equals < 0 ? "" : line.substring(0, equals).trim();
            if (!KEY.matcher(key).matches()) {
                throw new ConfigException(EnvVar.SETTINGS_PARAMETER, "line " + (i + 1) + " is not KEY=value");
            }
            if (values.put(key, line.substring(equals + 1).trim()) != null) {
                throw new ConfigException(EnvVar.SETTINGS_PARAMETER, key + " is given twice");
            }
        }
        List<String> missing = REQUIRED.stream().filter(key -> !values.containsKey(key)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new ConfigException(EnvVar.SETTINGS_PARAMETER, "the document has no line for " + String.join(", ", missing));
        }
        return values;
    }
}
