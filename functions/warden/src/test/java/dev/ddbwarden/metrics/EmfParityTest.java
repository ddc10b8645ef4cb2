package dev.ddbwarden.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dashboards and alarms were built on what Powertools' EMF logger wrote: for the same calls, our lines must
 * say the same to CloudWatch (same namespace, dimension sets, metrics, units and values), timestamp aside.
 */
class EmfParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachHandlersMetrics_readTheSameAsPowertoolsEmfLogger() throws Exception {
        List<Consumer<Metrics>> invocations = List.of(
                m -> {
                    m.addDimension("Rule", "deletion-protection");
                    m.addMetric("Findings", 1, MetricUnit.COUNT);
                    m.addMetric("Fixes", 1, MetricUnit.COUNT);
                },
                m -> {
                    m.addDimension("Rule", "tampering");
                    m.addMetric("Failures", 1, MetricUnit.COUNT);
                    m.addMetric("Failures", 1, MetricUnit.COUNT);
                },
                m -> {
                    m.addDimension(DimensionSet.of("Rule", "sweep", "Region", "eu-west-1"));
                    m.addMetric("SweepSeen", 40, MetricUnit.COUNT);
                    m.addMetric("SweepLatency", 3.5, MetricUnit.MILLISECONDS, MetricResolution.HIGH);
                    m.addMetric("SweepBytes", 2048, MetricUnit.BYTES_SECOND);
                });
        for (Consumer<Metrics> invocation : invocations) {
            JsonNode theirs = JSON.readTree(powertools(invocation));
            List<String> ours = new ArrayList<>();
            EmfMetrics metrics = new EmfMetrics(ours::add, Clock.fixed(Instant.now(), ZoneOffset.UTC), false, Map.of());
            prepare(metrics);
            invocation.accept(metrics);
            metrics.flush();

            assertThat(ours).hasSize(1);
            assertThat(withoutTimestamp(JSON.readTree(ours.get(0)))).isEqualTo(withoutTimestamp(theirs));
        }
    }

    private static void prepare(Metrics metrics) {
        metrics.setNamespace("ddb-warden");
        metrics.setDefaultDimensions(DimensionSet.of("Service", "ddb-warden"));
    }

    /** The line Powertools' own EMF logger prints on standard output for the same calls. */
    private static String powertools(Consumer<Metrics> invocation) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Metrics metrics = new EmfMetricsProvider().getMetricsInstance();
            prepare(metrics);
            invocation.accept(metrics);
            metrics.flush();
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).as("Powertools' lines").hasSize(1);
        return lines[0];
    }

    /** The line as CloudWatch reads it: the timestamp aside, and the metrics' order (the EMF library's is a hash's). */
    private static JsonNode withoutTimestamp(JsonNode line) {
        ObjectNode copy = line.deepCopy();
        ((ObjectNode) copy.path("_aws")).remove("Timestamp");
        ObjectNode directive = (ObjectNode) copy.path("_aws").path("CloudWatchMetrics").get(0);
        List<JsonNode> definitions = new ArrayList<>();
        directive.path("Metrics").forEach(definitions::add);
        definitions.sort(Comparator.comparing(definition -> definition.path("Name").asText()));
        directive.putArray("Metrics").addAll(definitions);
        return copy;
    }
}
