package dev.ddbwarden.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLogLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant TIME = Instant.parse("2026-11-26T13:14:13.008Z");

    @Test
    void writesPowertoolsFieldsInTheLayoutsOrderAndTypes() throws Exception {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("rule", "deletion-protection");
        mdc.put("correlation_id", "5235bf01-2899-4e1d-a14f-99002a60e0c2");
        mdc.put("service", "ddb-warden");
        mdc.put("function_request_id", "c0ffee00-0000-4000-8000-000000000001");
        mdc.put("cold_start", "true");
        mdc.put("function_memory_size", "512");
        mdc.put("sampling_rate", "0.25");
        mdc.put("function_name", "DeletionProtectionFunction");
        mdc.put("function_arn", "arn:aws:lambda:us-east-1:123456789012:function:DeletionProtectionFunction");
        mdc.put("function_version", "$LATEST");
        mdc.put("xray_trace_id", "1-5759e988-bd862e3fe1be46a994272793");
        mdc.put("actor", "arn:aws:iam::123456789012:user/mallory");

        JsonNode line = JSON.readTree(JsonLogLine.render(Level.INFO, "fixed", null, mdc, TIME));

        assertThat(fieldNames(line)).containsExactly("level", "message", "cold_start", "function_arn", "function_memory_size",
                "function_name", "function_request_id", "function_version", "sampling_rate", "service", "timestamp",
                "xray_trace_id", "correlation_id", "actor", "rule");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("cold_start").isBoolean()).isTrue();
        assertThat(line.get("cold_start").booleanValue()).isTrue();
        assertThat(line.get("function_memory_size").isInt()).isTrue();
        assertThat(line.get("function_memory_size").intValue()).isEqualTo(512);
        assertThat(line.get("sampling_rate").isNumber()).isTrue();
        assertThat(line.get("sampling_rate").doubleValue()).isEqualTo(0.25);
        assertThat(line.get("timestamp").asText()).isEqualTo("2026-11-26T13:14:13.008Z");
        assertThat(line.get("rule").asText()).isEqualTo("deletion-protection");
    }

    @Test
    void leavesOutWhatIsNotKnownYet() throws Exception {
        JsonNode line = JSON.readTree(JsonLogLine.render(Level.WARN, "LEDGER_TABLE is not set", null, null, TIME));
        assertThat(fieldNames(line)).containsExactly("level", "message", "timestamp");
    }

    @Test
    void keepsAValueThatIsNotANumberAsText() throws Exception {
        JsonNode line = JSON.readTree(JsonLogLine.render(Level.INFO, "m", null, Map.of("function_memory_size", "lots"), TIME));
        assertThat(line.get("function_memory_size").asText()).isEqualTo("lots");
    }

    @Test
    void anErrorCarriesItsMessageClassAndStack() throws Exception {
        IllegalStateException error = new IllegalStateException("table vanished");
        JsonNode line = JSON.readTree(JsonLogLine.render(Level.ERROR, "failed", error, Map.of(), TIME));
        assertThat(fieldNames(line)).containsExactly("level", "message", "error", "timestamp");
        assertThat(line.at("/error/message").asText()).isEqualTo("table vanished");
        assertThat(line.at("/error/name").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.at("/error/stack").asText()).startsWith("java.lang.IllegalStateException: table vanished")
                .contains("at dev.ddbwarden.log.JsonLogLineTest.anErrorCarriesItsMessageClassAndStack");
    }

    @Test
    void aMessageCannotBreakTheLineOrForgeAField() throws Exception {
        String hostile = "name\"}\n{\"level\":\"INFO\",\"message\":\"forged\u0007";
        String rendered = JsonLogLine.render(Level.INFO, hostile, null, Map.of("table", hostile), TIME);
        assertThat(rendered).doesNotContain("\n").doesNotContain("\u0007");
        JsonNode line = JSON.readTree(rendered);
        assertThat(line.get("message").asText()).isEqualTo(hostile);
        assertThat(line.get("table").asText()).isEqualTo(hostile);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
