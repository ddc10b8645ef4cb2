package dev.ddbwarden.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ddbwarden.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static dev.ddbwarden.TestEvents.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handlers' one mapper: ObjectMapper's trees and text, with the stricter reading JsonText documents. */
class JsonTextTest {
    private static final String EVERY_KIND = """
            {"s":"caf\\u00e9 \\"q\\"","i":7,"neg":-2147483649,"big":123456789012345678901234567890,
             "d":0.5,"e":-1.25E-7,"t":true,"f":false,"n":null,"empty":{},"list":[1,"two",[3],{"four":4},[]],
             "Statement":[{"Effect":"Allow","Principal":"*","Action":["dynamodb:GetItem"]}]}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"priming/create-table.json", "priming/put-resource-policy.json"})
    void read_shouldGiveTheMappersTree_forTheShippedSampleEvents(String resource) throws IOException {
        byte[] event;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            event = in.readAllBytes();
        }

        assertThat(JsonText.read(event)).isEqualTo(JSON.readTree(event));
    }

    /** What came in goes out as it came: a re-check carries the event, a quarantine rewrites the table's policy. */
    @Test
    void readThenWrite_shouldGiveBackTheCompactText_forEveryKindOfValue() throws IOException {
        String compact = JSON.writeValueAsString(JSON.readTree(EVERY_KIND));

        assertThat(JsonText.write(JsonText.read(EVERY_KIND))).isEqualTo(compact);
        assertThat(JsonText.write(JsonText.read(EVERY_KIND.getBytes(StandardCharsets.UTF_8)))).isEqualTo(compact);
        assertThat(JsonText.read(EVERY_KIND).get("big").bigIntegerValue())
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void write_shouldGiveTheMappersText() throws IOException {
        JsonNode tree = JSON.readTree(EVERY_KIND);

        assertThat(JsonText.write(tree)).isEqualTo(JSON.writeValueAsString(tree));
        assertThat(JsonText.write(TestEvents.event("UpdateTable", "orders"))).isEqualTo(JSON.writeValueAsString(TestEvents.event("UpdateTable", "orders")));
    }

    @Test
    void write_shouldWriteUtf8AndLeaveTheStreamOpen() throws IOException {
        var closed = new boolean[1];
        var out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        JsonText.write(JsonText.read("{\"s\":\"café\"}"), out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"s\":\"café\"}");
        assertThat(closed[0]).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n"})
    void read_shouldGiveAMissingNode_whenTheTextIsEmpty_asTheMapperDoes(String text) throws IOException {
        assertThat(JsonText.read(text).isMissingNode()).isTrue();
        assertThat(JSON.readTree(text).isMissingNode()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "{\"a\":1}x", "[1,2", "{\"a\":}", "nul"})
    void read_shouldRefuseWithAReason_whenTheTextIsNotOneJsonValue(String text) {
        assertThatThrownBy(() -> JsonText.read(text))
                .isInstanceOf(JsonProcessingException.class)
                .satisfies(e -> assertThat(((JsonProcessingException) e).getOriginalMessage()).isNotBlank());
    }

    @Test
    void read_shouldRefuseNestingBeyondTheParsersLimit_withoutOverflowingTheStack() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);

        assertThatThrownBy(() -> JsonText.read(deep)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void read_shouldKeepANumberTooLargeForADouble_soThatItIsWrittenBackAsJson() throws IOException {
        JsonNode tree = JsonText.read("{\"huge\":1e400}");

        assertThat(tree.get("huge").decimalValue()).isEqualByComparingTo(new BigDecimal("1e400"));
        assertThat(JsonText.write(tree)).isEqualTo("{\"huge\":1E+400}");
    }

    @Test
    void write_shouldWriteMissingNodesAsNull_asTheMapperDoes() throws IOException {
        var tree = JsonNodeFactory.instance.objectNode().put("a", 1);
        tree.set("gone", JsonNodeFactory.instance.missingNode());
        tree.putArray("list").add(JsonNodeFactory.instance.missingNode());

        assertThat(JsonText.write(tree)).isEqualTo("{\"a\":1,\"gone\":null,\"list\":[null]}")
                .isEqualTo(JSON.writeValueAsString(tree));
        assertThat(JsonText.write(JsonNodeFactory.instance.missingNode())).isEqualTo("null");
    }

    @Test
    void write_shouldRefuseAPojoNode_whichHoldsNoJson() {
        var tree = JsonNodeFactory.instance.objectNode().putPOJO("object", new Object());

        assertThatThrownBy(() -> JsonText.write(tree)).isInstanceOf(IllegalArgumentException.class);
    }
}
