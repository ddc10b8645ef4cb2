package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.config.RemediationMode;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.SweepSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml through SAM's own translator (samtranslator, shipped with cfn-lint) with two sets of
 * Parameters. SAM publishes a function's version (the one {@code live} points at) only when its hash of the
 * function changes, a hash that does not resolve Parameters (SAM issues 1640, 3820): so the Parameters must
 * reach no function's environment, and the settings parameter, which the functions read at run time, must
 * carry them. Both sets here give every function the same version, and that is right, because nothing a
 * version holds differs between them; what differs is the settings parameter's value.
 */
class SettingsReachLiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVED = "arn:aws:iam::123456789012:role/dba-decommission";
    /** One deployment's Parameters, then the next's: every setting changed. */
    private static final Map<String, String> NOTIFY = Map.of(
            "RemediationMode", "notify",
            "ExemptTables", "scratch-*,tmp-*",
            "AllowedRegions", "us-east-1,eu-west-1",
            "ApprovedPrincipals", APPROVED,
            "TrustedAccounts", "444455556666",
            "SweepReportOnly", "true",
            "FixLimitPerHour", "9");
    private static final Map<String, String> REMEDIATE = Map.of(
            "RemediationMode", "remediate",
            "AllowedRegions", "us-east-1");

    private static JsonNode notify;
    private static JsonNode remediate;

    @BeforeAll
    static void transform() throws Exception {
        notify = samTransform(NOTIFY);
        remediate = samTransform(REMEDIATE);
    }

    /** sam_transform.py's report for the template transformed with {@code parameters}. */
    static JsonNode samTransform(Map<String, String> parameters) throws IOException, InterruptedException {
        Path script = Files.createTempFile("sam_transform", ".py");
        try (InputStream in = SettingsReachLiveTest.class.getResourceAsStream("sam_transform.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder("python3", script.toString(), Project.TEMPLATE.toString(),
                JSON.writeValueAsString(parameters)).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("samtranslator finished").isTrue();
        Files.delete(script);
        assertThat(process.exitValue()).as(err).isZero();
        return JSON.readTree(out);
    }

    @Test
    void noFunctionsEnvironment_shouldReadATemplateParameter() {
        Set<String> parameters = new TreeSet<>();
        notify.path("parameters").forEach(p -> parameters.add(p.asText()));
        for (JsonNode transformed : List.of(notify, remediate)) {
            Iterator<Map.Entry<String, JsonNode>> functions = transformed.path("functions").fields();
            assertThat(functions.hasNext()).isTrue();
            while (functions.hasNext()) {
                Map.Entry<String, JsonNode> function = functions.next();
                List<String> reading = new ArrayList<>();
                function.getValue().path("environment").fields().forEachRemaining(variable -> {
                    if (readsParameter(variable.getValue(), parameters)) {
                        reading.add(variable.getKey());
                    }
                });
                assertThat(reading).as("variables of %s that a template Parameter sets: SAM's version hash does not"
                        + " see them change, so live would keep the old value", function.getKey()).isEmpty();
            }
        }
    }

    @Test
    void versions_shouldStayTheSame_becauseEverythingAVersionHoldsIsTheSame() {
        notify.path("functions").fields().forEachRemaining(function -> {
            JsonNode other = remediate.path("functions").path(function.getKey());
            assertThat(function.getValue().path("environment")).as(function.getKey()).isEqualTo(other.path("environment"));
            assertThat(function.getValue().path("version").asText()).as(function.getKey())
                    .isNotEmpty().isEqualTo(other.path("version").asText());
        });
        assertThat(notify.path("functions").size()).isEqualTo(5);
    }

    @Test
    void settingsParameter_shouldCarryEachDeploysParameters_asTheFunctionsValidateThem() {
        // GIVEN the settings parameter's value as CloudFormation would write it for each deployment
        assertThat(notify.path("settingsName").asText()).isEqualTo("/ddb-warden/ddb-warden/settings");
        Map<String, String> first = document(notify.path("settingsValue").asText());
        Map<String, String> second = document(remediate.path("settingsValue").asText());

        // WHEN the functions' own validation reads each
        Settings before = Settings.from(first::get);
        Settings after = Settings.from(second::get);

        // THEN the value differs, and each reading is what its deployment asked for
        assertThat(first).isNotEqualTo(second);
        assertThat(before.mode()).isEqualTo(RemediationMode.NOTIFY);
        assertThat(before.isExempt("scratch-1")).isTrue();
        assertThat(before.allowedRegions()).containsExactly("us-east-1", "eu-west-1");
        assertThat(before.approvedPrincipals()).containsExactly(APPROVED);
        assertThat(before.trustedAccounts()).containsExactly("444455556666");
        assertThat(before.fixLimitPerHour()).isEqualTo(9);
        assertThat(SweepSettings.from(first::get).reportOnly()).isTrue();
        assertThat(after.mode()).isEqualTo(RemediationMode.REMEDIATE);
        assertThat(after.isExempt("scratch-1")).isFalse();
        assertThat(after.allowedRegions()).containsExactly("us-east-1");
        assertThat(SweepSettings.from(second::get).reportOnly()).isFalse();
    }

    /** KEY=value lines; a key given twice is refused, as the functions refuse it. */
    static Map<String, String> document(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            assertThat(equals).as(line).isPositive();
            assertThat(values.put(line.substring(0, equals), line.substring(equals + 1))).as(line).isNull();
        }
        return values;
    }

    /** Whether a template value refers to a Parameter: a Ref to it, or ${Name} in a Sub. */
    static boolean readsParameter(JsonNode value, Set<String> parameters) {
        if (value.isObject()) {
            if (value.has("Ref") && parameters.contains(value.get("Ref").asText())) {
                return true;
            }
            JsonNode sub = value.get("Fn::Sub");
            if (sub != null) {
                String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
                if (parameters.stream().anyMatch(p -> text.contains("${" + p + "}"))) {
                    return true;
                }
            }
        }
        for (JsonNode child : value) {
            if (readsParameter(child, parameters)) {
                return true;
            }
        }
        return false;
    }
}
