package dev.ddbwarden.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WardenMetricsTest {
    @Test
    void theHandlersMetrics_goToStandardOutputAsItIsAtFlush_inTheDefaultNamespace() throws Exception {
        Metrics metrics = WardenMetrics.instance();
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            metrics.addDimension("Rule", "deletion-protection");
            metrics.addMetric("Findings", 2, MetricUnit.COUNT);
            metrics.flush();
        } finally {
            System.setOut(original);
        }

        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText())
                .isEqualTo(WardenMetrics.DEFAULT_NAMESPACE);
        assertThat(line.path("Findings").asDouble()).isEqualTo(2.0);
        assertThat(line.path("Rule").asText()).isEqualTo("deletion-protection");
        // What dashboards and alarms read: the metric's unit, and a dimension set with the rule in it.
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").toString())
                .isEqualTo("[{\"Name\":\"Findings\",\"Unit\":\"Count\"}]");
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[\"Service\"],[\"Rule\"]]");
        assertThat(line.path("Service").asText()).isEqualTo("ddb-warden");
        assertThat(WardenMetrics.instance()).isSameAs(metrics);
    }
}
