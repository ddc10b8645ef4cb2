package dev.ddbwarden.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics as lines of CloudWatch's embedded metric format (EMF): the "_aws" directive names the namespace,
 * the dimension sets and each metric's unit, and the values sit beside it at the root, where CloudWatch Logs
 * reads them. CloudWatch takes at most 100 metrics per directive and 100 values per metric, so more make
 * more lines, each complete on its own.
 */
final class EmfLine {
    /** CloudWatch's limit on the metrics of one directive, and on the values of one metric in one line. */
    static final int MAX_PER_LINE = 100;
    private static final JsonFactory JSON = new JsonFactory();

    /** One metric as recorded: its values in the order they were added. */
    record Metric(String name, String unit, boolean highResolution, List<Double> values) {
        Metric {
            values = List.copyOf(values);
        }
    }

    /** What every line of one flush carries besides its share of the metrics. */
    record Context(String namespace, long timestampMillis, List<Map<String, String>> dimensionSets,
                   Map<String, Object> metadata, Map<String, Object> properties) {
    }

    private EmfLine() {
    }

    static List<String> render(Context context, List<Metric> metrics) {
        List<String> lines = new ArrayList<>();
        int[] written = new int[metrics.size()];
        int first = 0;
        while (first < metrics.size()) {
            List<Integer> share = new ArrayList<>(Math.min(MAX_PER_LINE, metrics.size() - first));
            for (int i = first; i < metrics.size() && share.size() < MAX_PER_LINE; i++) {
                if (written[i] < metrics.get(i).values().size()) {
                    share.add(i);
                }
            }
            lines.add(line(context, metrics, share, written));
            while (first < metrics.size() && written[first] == metrics.get(first).values().size()) {
                first++;
            }
        }
        return lines;
    }

    private static String line(Context context, List<Metric> metrics, List<Integer> share, int[] written) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("_aws");
            json.writeNumberField("Timestamp", context.timestampMillis());
            json.writeArrayFieldStart("CloudWatchMetrics");
            json.writeStartObject();
            json.writeStringField("Namespace", context.namespace());
            json.writeArrayFieldStart("Metrics");
            for (int i : share) {
                Metric metric = metrics.get(i);
                json.writeStartObject();
                json.writeStringField("Name", metric.name());
                json.writeStringField("Unit", metric.unit());
                if (metric.highResolution()) {
                    json.writeNumberField("StorageResolution", 1);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("Dimensions");
            if (context.dimensionSets().isEmpty()) {
                // One empty set: the metrics are still published, without dimensions.
                json.writeStartArray();
                json.writeEndArray();
            }
            for (Map<String, String> set : context.dimensionSets()) {
                json.writeStartArray();
                for (String key : set.keySet()) {
                    json.writeString(key);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            for (Map.Entry<String, Object> entry : context.metadata().entrySet()) {
                writeValue(json, entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            // A key in two sets is written once, with the value set last, as a JSON object can hold it.
            Map<String, String> dimensions = new LinkedHashMap<>();
            for (Map<String, String> set : context.dimensionSets()) {
                dimensions.putAll(set);
            }
            for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
                json.writeStringField(dimension.getKey(), dimension.getValue());
            }
            for (Map.Entry<String, Object> entry : context.properties().entrySet()) {
                writeValue(json, entry.getKey(), entry.getValue());
            }
            for (int i : share) {
                Metric metric = metrics.get(i);
                int from = written[i];
                int to = Math.min(metric.values().size(), from + MAX_PER_LINE);
                json.writeFieldName(metric.name());
                if (to - from == 1) {
                    json.writeNumber(metric.values().get(from));
                } else {
                    json.writeStartArray();
                    for (int v = from; v < to; v++) {
                        json.writeNumber(metric.values().get(v));
                    }
                    json.writeEndArray();
                }
                written[i] = to;
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    /** Numbers and booleans as themselves; anything else as its text, which is all a log line can hold of it. */
    private static void writeValue(JsonGenerator json, String key, Object value) throws IOException {
        json.writeFieldName(key);
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Boolean flag) {
            json.writeBoolean(flag);
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number number) {
            json.writeNumber(number.doubleValue());
        } else {
            json.writeString(value.toString());
        }
    }
}
