package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.egress.EgressRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the egress rule against moto_server on loopback, which models S3 buckets and their
 * regions (HeadBucket answers with x-amz-bucket-region; checked with moto 5.2.1): the export's bucket is asked where it
 * is through the same SDK client chain (aws.endpointUrl here, AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3 in a shell).
 * moto models no Kinesis streaming destination (DescribeKinesisStreamingDestination answers 500) and no refusal that
 * still names the region: EgressHandlerTest and BucketRegionsTest cover those on mocked clients.
 */
class EgressIT {
    private final Harness harness = new Harness();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private JsonNode invoke(String sample) throws Exception {
        return Harness.invoke(new WardenHandler(new EgressRule(), Services.create(harness.settings(Map.of()))),
                Project.event(sample));
    }

    @Test
    void exportToABucketOutsideAllowedRegions_shouldBeAlertedHigh_withTheRegionS3Gave() throws Exception {
        // GIVEN orders, and the bucket its export names, in ap-southeast-2 (ALLOWED_REGIONS is us-east-1)
        harness.estate.createTable("orders", true);
        harness.estate.createBucket("orders-archive-apse2", "ap-southeast-2");

        // WHEN the export's event arrives, and again (a re-delivery)
        JsonNode result = invoke("export-outside-allowed-regions.json");
        JsonNode again = invoke("export-outside-allowed-regions.json");

        // THEN one HIGH alert naming the region, one ledger entry, and the re-delivery adds neither
        assertThat(result.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("ap-southeast-2", "s3://orders-archive-apse2/exports/orders/"));
        assertThat(harness.estate.ledgerItems()).hasSize(1);
    }

    @Test
    void exportToABucketInAnAllowedRegion_shouldBeLeftAlone() throws Exception {
        harness.estate.createTable("orders", true);
        harness.estate.createBucket("orders-archive-apse2", "us-east-1");

        JsonNode result = invoke("export-outside-allowed-regions.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void exportToABucketS3DoesNotKnow_shouldSayRegionUnknown() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode result = invoke("export-outside-allowed-regions.json");

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("region unknown", "HTTP 404"));
    }
}
