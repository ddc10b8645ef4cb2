package dev.ddbwarden.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.handler.FakeContext;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmfMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T15:30:00.250Z");

    private final List<String> lines = new ArrayList<>();
    private final EmfMetrics metrics = new EmfMetrics(lines::add, Clock.fixed(NOW, ZoneOffset.UTC), false, Map.of());

    @Test
    void oneInvocation_writesOneLine_withEachDimensionSetAndTheValuesAtTheRoot() throws Exception {
        metrics.setNamespace("ddb-warden");
        metrics.setDefaultDimensions(DimensionSet.of("Service", "ddb-warden"));
        metrics.addDimension(DimensionSet.of("Rule", "deletion-protection"));
        metrics.addMetric("Findings", 1, MetricUnit.COUNT);
        metrics.addMetric("Latency", 12.5, MetricUnit.MILLISECONDS, MetricResolution.HIGH);

        metrics.flush();

        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(directive.path("Namespace").asText()).isEqualTo("ddb-warden");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Service\"],[\"Rule\"]]");
        assertThat(directive.path("Metrics").toString()).isEqualTo(
                "[{\"Name\":\"Findings\",\"Unit\":\"Count\"},{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\",\"StorageResolution\":1}]");
        assertThat(line.path("Service").asText()).isEqualTo("ddb-warden");
        assertThat(line.path("Rule").asText()).isEqualTo("deletion-protection");
        assertThat(line.path("Findings").asDouble()).isEqualTo(1.0);
        assertThat(line.path("Latency").asDouble()).isEqualTo(12.5);
    }

    @Test
    void aMetricAddedTwice_keepsBothValues_andAFlushStartsAfresh() throws Exception {
        metrics.setNamespace("ddb-warden");
        metrics.addMetric("Fixes", 1, MetricUnit.COUNT);
        metrics.addMetric("Fixes", 2, MetricUnit.COUNT);
        metrics.flush();
        metrics.addMetric("Fixes", 3, MetricUnit.COUNT);
        metrics.flush();

        assertThat(JSON.readTree(lines.get(0)).path("Fixes").toString()).isEqualTo("[1.0,2.0]");
        assertThat(JSON.readTree(lines.get(1)).path("Fixes").toString()).isEqualTo("3.0");
        // No dimension set at all still publishes the metric, without dimensions.
        assertThat(JSON.readTree(lines.get(1)).path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[]]");
    }

    @Test
    void moreMetricsThanCloudWatchTakesInOneDirective_makeMoreLines_eachWithItsOwnValues() throws Exception {
        metrics.setNamespace("ddb-warden");
        metrics.addDimension(DimensionSet.of("Rule", "sweep"));
        for (int i = 0; i < 150; i++) {
            metrics.addMetric("M" + i, i, MetricUnit.COUNT);
        }

        metrics.flush();

        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(first.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")).hasSize(100);
        assertThat(second.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics")).hasSize(50);
        assertThat(first.has("M99")).isTrue();
        assertThat(first.has("M100")).isFalse();
        assertThat(second.path("M100").asDouble()).isEqualTo(100.0);
        assertThat(second.path("M149").asDouble()).isEqualTo(149.0);
        assertThat(second.path("Rule").asText()).isEqualTo("sweep");
    }

    @Test
    void valuesBeyondAHundred_goToTheNextLine_andNoValueIsLost() throws Exception {
        metrics.setNamespace("ddb-warden");
        for (int v = 0; v < 250; v++) {
            metrics.addMetric("Seen", v, MetricUnit.COUNT);
        }

        metrics.flush();

        assertThat(lines).hasSize(3);
        double sum = 0;
        int count = 0;
        for (String text : lines) {
            for (JsonNode value : JSON.readTree(text).path("Seen")) {
                sum += value.asDouble();
                count++;
            }
        }
        assertThat(count).isEqualTo(250);
        assertThat(sum).isEqualTo(249 * 250 / 2.0);
    }

    @Test
    void noMetrics_writesNothing_orFailsWhenAskedTo() {
        metrics.setNamespace("ddb-warden");
        metrics.flush();
        assertThat(lines).isEmpty();

        metrics.setRaiseOnEmptyMetrics(true);
        assertThatThrownBy(metrics::flush).isInstanceOf(IllegalStateException.class).hasMessage("No metrics were emitted");
    }

    @Test
    void disabled_writesNothing() {
        EmfMetrics off = new EmfMetrics(lines::add, Clock.fixed(NOW, ZoneOffset.UTC), true, Map.of());
        off.setNamespace("ddb-warden");
        off.addMetric("Findings", 1, MetricUnit.COUNT);
        off.flush();
        assertThat(lines).isEmpty();
    }

    @Test
    void badInput_isRefusedWhereItIsGiven() {
        assertThatThrownBy(metrics::flush).isInstanceOf(IllegalStateException.class).hasMessageContaining("namespace");
        assertThatThrownBy(() -> metrics.setNamespace("ddb warden")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.addMetric("Findings", Double.NaN, MetricUnit.COUNT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.addMetric(" ", 1, MetricUnit.COUNT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.setTimestamp(NOW.minus(Duration.ofDays(15))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.setTimestamp(NOW.plus(Duration.ofHours(3))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTimestampAndMetadata_goIntoTheDirective_forThatFlushOnly() throws Exception {
        metrics.setNamespace("ddb-warden");
        metrics.setTimestamp(NOW.minus(Duration.ofMinutes(5)));
        metrics.addMetadata("eventId", "7f0c6a3e");
        metrics.addMetric("Findings", 1, MetricUnit.COUNT);
        metrics.flush();
        metrics.addMetric("Findings", 0, MetricUnit.COUNT);
        metrics.flush();

        JsonNode first = JSON.readTree(lines.get(0)).path("_aws");
        JsonNode second = JSON.readTree(lines.get(1)).path("_aws");
        assertThat(first.path("Timestamp").asLong()).isEqualTo(NOW.minus(Duration.ofMinutes(5)).toEpochMilli());
        assertThat(first.path("eventId").asText()).isEqualTo("7f0c6a3e");
        assertThat(second.path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(second.has("eventId")).isFalse();
    }

    @Test
    void flushMetrics_writesTheConsumersMetricsApart_inThisNamespaceWithTheDefaultDimensions() throws Exception {
        metrics.setNamespace("ddb-warden");
        metrics.setDefaultDimensions(DimensionSet.of("Service", "ddb-warden"));
        metrics.addMetric("Findings", 1, MetricUnit.COUNT);

        metrics.flushMetrics(separate -> separate.addMetric("Swept", 4, MetricUnit.COUNT));

        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.path("Swept").asDouble()).isEqualTo(4.0);
        assertThat(line.has("Findings")).isFalse();
        assertThat(line.path("Service").asText()).isEqualTo("ddb-warden");
    }

    @Test
    void theFunctionsProperties_sitAtTheRootOfEveryLine() throws Exception {
        EmfMetrics withProperties = new EmfMetrics(lines::add, Clock.fixed(NOW, ZoneOffset.UTC), false,
                Map.of("functionVersion", "7"));
        withProperties.setNamespace("ddb-warden");
        withProperties.addMetric("Findings", 1, MetricUnit.COUNT);
        withProperties.flush();

        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.path("functionVersion").asText()).isEqualTo("7");
        assertThat(line.path("_aws").has("functionVersion")).isFalse();
    }

    @Test
    void theColdStartMetric_isWrittenOncePerContainer_withTheRequestThatStartedIt() throws Exception {
        FakeContext context = new FakeContext(60_000);
        // A call refused for want of a namespace does not use up the container's one cold start
        assertThatThrownBy(() -> metrics.captureColdStartMetric(context, DimensionSet.of("Service", "ddb-warden")))
                .isInstanceOf(IllegalStateException.class);
        metrics.setNamespace("ddb-warden");

        metrics.captureColdStartMetric(context, DimensionSet.of("Service", "ddb-warden"));
        metrics.captureColdStartMetric(context, DimensionSet.of("Service", "ddb-warden"));

        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.path("ColdStart").asDouble()).isEqualTo(1.0);
        assertThat(line.path("Service").asText()).isEqualTo("ddb-warden");
        assertThat(line.path("function_request_id").asText()).isEqualTo("c0ffee00-0000-4000-8000-000000000001");
    }
}
