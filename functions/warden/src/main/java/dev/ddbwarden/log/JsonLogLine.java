package dev.ddbwarden.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.Level;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One log event as one line of JSON, in the shape of Powertools' Lambda layout (LambdaJsonLayout.json in
 * powertools-logging-log4j), so that queries written for Powertools logs work on ours: level, message,
 * error, then the Lambda context fields Powertools keeps in the MDC (typed as Powertools types them),
 * timestamp, X-Ray trace and correlation ID, then any other MDC entry, by name. A field with no value is left
 * out rather than written as null.
 */
final class JsonLogLine {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The MDC entries Powertools sets, in the layout's order, each with how it is written. */
    private enum Field {
        COLD_START("cold_start"), FUNCTION_ARN("function_arn"), FUNCTION_MEMORY_SIZE("function_memory_size"),
        FUNCTION_NAME("function_name"), FUNCTION_REQUEST_ID("function_request_id"), FUNCTION_VERSION("function_version"),
        SAMPLING_RATE("sampling_rate"), SERVICE("service"), TIMESTAMP("timestamp"), XRAY_TRACE_ID("xray_trace_id"),
        CORRELATION_ID("correlation_id");

        final String key;

        Field(String key) {
            this.key = key;
        }
    }

    private static final List<String> KEYS = Arrays.stream(Field.values()).map(f -> f.key).toList();

    private JsonLogLine() {
    }

    static String render(Level level, String message, Throwable error, Map<String, String> mdc, Instant time) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("level", level.name());
            json.writeStringField("message", message);
            if (error != null) {
                json.writeObjectFieldStart("error");
                if (error.getMessage() != null) {
                    json.writeStringField("message", error.getMessage());
                }
                json.writeStringField("name", error.getClass().getName());
                json.writeStringField("stack", stackTrace(error));
                json.writeEndObject();
            }
            for (Field field : Field.values()) {
                if (field == Field.TIMESTAMP) {
                    json.writeStringField("timestamp", TIMESTAMP.format(time));
                    continue;
                }
                String value = mdc == null ? null : mdc.get(field.key);
                if (value != null) {
                    writeTyped(json, field, value);
                }
            }
            if (mdc != null && !KEYS.containsAll(mdc.keySet())) {
                for (Map.Entry<String, String> entry : new TreeMap<>(mdc).entrySet()) {
                    if (!KEYS.contains(entry.getKey()) && entry.getValue() != null) {
                        json.writeStringField(entry.getKey(), entry.getValue());
                    }
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    private static void writeTyped(JsonGenerator json, Field field, String value) throws IOException {
        json.writeFieldName(field.key);
        switch (field) {
            case COLD_START -> json.writeBoolean(Boolean.parseBoolean(value));
            case FUNCTION_MEMORY_SIZE -> writeNumber(json, value, false);
            case SAMPLING_RATE -> writeNumber(json, value, true);
            default -> json.writeString(value);
        }
    }

    /** A number where Powertools writes one; a value that is not a number stays a string rather than break the line. */
    private static void writeNumber(JsonGenerator json, String value, boolean fractional) throws IOException {
        try {
            if (fractional) {
                json.writeNumber(Float.parseFloat(value));
            } else {
                json.writeNumber(Integer.parseInt(value));
            }
        } catch (NumberFormatException e) {
            json.writeString(value);
        }
    }

    private static String stackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        try (PrintWriter writer = new PrintWriter(trace)) {
            error.printStackTrace(writer);
        }
        return trace.toString();
    }
}
