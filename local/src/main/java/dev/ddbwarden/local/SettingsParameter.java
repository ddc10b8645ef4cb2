package dev.ddbwarden.local;

import dev.ddbwarden.config.SettingsDocument;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * template.yaml's SettingsParameter as a local run sees it: its name and its {@code KEY=value} document,
 * resolved from the template with the parameter values and overrides a local run has, as CloudFormation
 * would write them.
 *
 * @param name     the parameter's name ({@code /ddb-warden/STACK/settings})
 * @param settings the document's lines, in the template's order
 */
record SettingsParameter(String name, Map<String, String> settings) {
    /** The resource's logical ID in template.yaml. */
    static final String LOGICAL_ID = "SettingsParameter";

    SettingsParameter {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The template's parameter, resolved with {@code values}; empty when the template has none. */
    static java.util.Optional<SettingsParameter> of(Template template, TemplateValues values) {
        Map<String, Object> properties = Template.map(template.resource(LOGICAL_ID).get("Properties"));
        if (properties.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SettingsParameter(values.resolve(properties.get("Name")),
                SettingsDocument.parse(values.resolve(properties.get("Value")))));
    }

    /** The document as CloudFormation writes it: one line per setting. */
    String document() {
        StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(text.length() == 0 ? "" : "\n").append(key).append('=').append(value));
        return text.toString();
    }

    /** Writes it where {@code ssm} points (a local AWS: never a real account's), as the stack would create it. */
    void putInto(SsmClient ssm) {
        ssm.putParameter(r -> r.name(name).value(document()).type(ParameterType.STRING)
                .tier(ParameterTier.INTELLIGENT_TIERING).overwrite(true));
    }
}
