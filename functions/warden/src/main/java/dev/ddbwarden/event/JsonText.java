package dev.ddbwarden.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one Jackson mapper the handlers read and write JSON trees with, set up as a security tool wants: content
 * after the first value is refused, not ignored, and a number too large for a double stays exact (as a double,
 * 1e400 would be written back as "Infinity"). Empty text reads as a missing node, so that callers say "not an
 * object" of it.
 */
public final class JsonText {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();
    private static final ObjectReader READER = MAPPER.reader();
    /** For a value inside a document another parser walks: what follows it is that parser's to read. */
    private static final ObjectReader VALUE_READER = READER.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectWriter WRITER = MAPPER.writer();

    private JsonText() {
    }

    /** The one JSON value in {@code json}, refusing anything after it; a missing node for empty text. */
    public static JsonNode read(byte[] json) throws JsonProcessingException {
        try {
            return READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory", e);
        }
    }

    /** As {@link #read(byte[])}, from text. */
    public static JsonNode read(String json) throws JsonProcessingException {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The value starting at the parser's current token, as a tree; the parser is left on the value's last token. */
    public static JsonNode readValue(JsonParser parser) throws IOException {
        return VALUE_READER.readTree(parser);
    }

    /** The tree as compact JSON text. */
    public static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a " + node.getNodeType() + " node has no JSON text", e);
        }
    }

    /** The tree as compact UTF-8 JSON on {@code out}, which is left open. */
    public static void write(JsonNode node, OutputStream out) throws IOException {
        WRITER.writeValue(out, node);
    }
}
