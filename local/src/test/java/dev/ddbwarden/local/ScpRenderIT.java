package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.local.RenderedScps.Rendered;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scp/render turns the shipped SCPs into what {@code aws organizations create-policy} accepts: every placeholder
 * filled, minified JSON, every action and condition key one the Service Authorization Reference knows, and at most
 * AWS Organizations' 5,120 characters, both with scp/settings as shipped and with the longest values scp/README.md
 * documents for each placeholder. An integration test: scp/render is a Python process, and the IAM simulator that
 * knows the actions and condition keys a Node.js one (ScpRenderTest holds the placeholders to scp/README.md).
 */
class ScpRenderIT {
    /** AWS Organizations' limit on one SCP document, in characters. */
    private static final int SCP_MAX_CHARACTERS = 5_120;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyScp_shouldRenderWithinTheSizeLimit_withTheShippedAndTheLongestDocumentedSettings() throws Exception {
        Map<String, Rendered> rendered = new LinkedHashMap<>();
        RenderedScps.render(RenderedScps.SHIPPED_SETTINGS).forEach((file, r) -> rendered.put("shipped " + file, r));
        RenderedScps.render(RenderedScps.longestSettings()).forEach((file, r) -> rendered.put("longest " + file, r));

        assertThat(rendered).hasSize(2 * ScpAndForwarderTest.scpFiles().size());
        for (var each : rendered.entrySet()) {
            String text = each.getValue().text();
            assertThat(text).as(each.getKey()).doesNotContain("{{")
                    .isEqualTo(JSON.writeValueAsString(each.getValue().policy()));
            assertThat(text.length()).as("characters of %s", each.getKey()).isLessThanOrEqualTo(SCP_MAX_CHARACTERS);
        }
        Map<String, JsonNode> policies = new LinkedHashMap<>();
        rendered.forEach((name, r) -> policies.put(name, r.policy()));
        assertThat(IamSimulator.unknownIn(policies)).allSatisfy(unknown -> {
            assertThat(unknown.actions()).as("actions the SAR does not know in %s", unknown.policy()).isEmpty();
            assertThat(unknown.keys()).as("condition keys the SAR does not know in %s", unknown.policy()).isEmpty();
        });
    }

    @Test
    void render_shouldRefuse_aSettingsFileThatLeavesAPlaceholderEmpty() throws Exception {
        Path settings = Files.createTempFile("scp", ".settings");
        Files.writeString(settings, "ALLOWED_REGIONS = us-east-1\n");
        Process render = new ProcessBuilder("python3", RenderedScps.SCP.resolve("render").toString(),
                settings.toString(), Files.createTempDirectory("scp").toString()).redirectErrorStream(true).start();
        String output = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(render.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(render.exitValue()).isNotZero();
        assertThat(output).contains("the settings give no value for");
    }
}
