package dev.ddbwarden.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

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
        assertThat(WardenMetrics.instance()).isSameAs(metrics);
    }

    @Test
    void onLambda_theLinesSayWhereTheyCameFrom_asTheEmfLibraryDid() {
        Map<String, String> lambda = Map.of("AWS_LAMBDA_FUNCTION_NAME", "ddb-warden-DeletionProtection",
                "AWS_EXECUTION_ENV", "AWS_Lambda_java21", "AWS_LAMBDA_FUNCTION_VERSION", "12",
                "AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/26/[12]abc");

        assertThat(WardenMetrics.lambdaProperties(lambda::get, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"))
                .containsExactly(entry("executionEnvironment", "AWS_Lambda_java21"), entry("functionVersion", "12"),
                        entry("logStreamId", "2026/11/26/[12]abc"),
                        entry("traceId", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"));
        assertThat(WardenMetrics.lambdaProperties(lambda::get, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"))
                .doesNotContainKey("traceId");
        assertThat(WardenMetrics.lambdaProperties(Map.of("AWS_EXECUTION_ENV", "AWS_Lambda_java21")::get, null)).isEmpty();
    }
}
