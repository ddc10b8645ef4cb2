package dev.ddbwarden.rules.egress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.FakeContext;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeKinesisStreamingDestinationRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeKinesisStreamingDestinationResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DisableKinesisStreamingDestinationRequest;
import software.amazon.awssdk.services.dynamodb.model.DisableKinesisStreamingDestinationResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The egress rule in WardenHandler, as its function runs it, on the samples in events/. moto models neither Kinesis
 * streaming destinations nor an S3 refusal that still names the region, so DynamoDB and S3 are mocked here;
 * EgressIT runs the export against moto_server's S3.
 */
class EgressHandlerTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ddb-warden-alerts";
    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private static final String EXFIL = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-exfil";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final SnsClient sns = SdkMocks.client(SnsClient.class);
    private final S3Client s3 = SdkMocks.client(S3Client.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-14T09:21:00Z"));

    @BeforeEach
    void stubClients() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ARN).tableStatus("ACTIVE").deletionProtectionEnabled(true)).build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.describeKinesisStreamingDestination(any(DescribeKinesisStreamingDestinationRequest.class)))
                .thenReturn(DescribeKinesisStreamingDestinationResponse.builder().tableName("orders")
                        .kinesisDataStreamDestinations(d -> d.streamArn(EXFIL).destinationStatus("ACTIVE")).build());
        when(dynamo.disableKinesisStreamingDestination(any(DisableKinesisStreamingDestinationRequest.class)))
                .thenReturn(DisableKinesisStreamingDestinationResponse.builder().destinationStatus("DISABLING").build());
        when(sns.publish(any(PublishRequest.class))).thenReturn(PublishResponse.builder().messageId("m-1").build());
    }

    private JsonNode invoke(String sample, String... settings) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("ALERT_TOPIC_ARN", TOPIC, "ALLOWED_REGIONS", "us-east-1"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        WardenHandler handler = new WardenHandler(new EgressRule(new BucketRegions(region -> s3)), new Services(dynamo, sns,
                SdkMocks.client(SqsClient.class), Settings.from(env::get, Rules.settingNames()), clock, clock::advance));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(sample(sample).toString().getBytes(StandardCharsets.UTF_8)), out,
                new FakeContext(60_000));
        return JSON.readTree(out.toByteArray());
    }

    private String alert() {
        ArgumentCaptor<PublishRequest> sent = ArgumentCaptor.forClass(PublishRequest.class);
        verify(sns).publish(sent.capture());
        return sent.getValue().subject() + "\n" + sent.getValue().message();
    }

    @Test
    void enable_shouldStopStreamingToAnUntrustedStream_andAlertHigh() throws IOException {
        JsonNode result = invoke("enable-kinesis-streaming-destination.json",
                "TRUSTED_STREAMS", "arn:aws:kinesis:us-east-1:123456789012:stream/analytics-*");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(result.at("/results/0/severity").asText()).isEqualTo("HIGH");
        ArgumentCaptor<DisableKinesisStreamingDestinationRequest> disabled =
                ArgumentCaptor.forClass(DisableKinesisStreamingDestinationRequest.class);
        verify(dynamo).disableKinesisStreamingDestination(disabled.capture());
        assertThat(disabled.getValue().tableName()).isEqualTo(ARN);
        assertThat(disabled.getValue().streamArn()).isEqualTo(EXFIL);
        assertThat(alert()).contains("orders-exfil", "DisableKinesisStreamingDestination");
    }

    @Test
    void enable_shouldNotEvenReadTheDestinations_whenTrustedStreamsIsUnset() throws IOException {
        JsonNode result = invoke("enable-kinesis-streaming-destination.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        verify(dynamo, never()).describeKinesisStreamingDestination(any(DescribeKinesisStreamingDestinationRequest.class));
        verify(dynamo, never()).disableKinesisStreamingDestination(any(DisableKinesisStreamingDestinationRequest.class));
    }

    @Test
    void export_shouldAskS3WhereTheBucketIs_andAlertHighOutsideAllowedRegions() throws IOException {
        when(s3.headBucket(any(HeadBucketRequest.class))).thenReturn(HeadBucketResponse.builder().bucketRegion("ap-southeast-2").build());

        JsonNode result = invoke("export-outside-allowed-regions.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(result.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(alert()).contains("orders-archive-apse2", "ap-southeast-2");
    }
}
