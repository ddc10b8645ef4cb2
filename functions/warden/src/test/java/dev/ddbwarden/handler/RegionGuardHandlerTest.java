package dev.ddbwarden.handler;

import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static dev.ddbwarden.TestEvents.JSON;
import static dev.ddbwarden.TestEvents.createTableIn;
import static dev.ddbwarden.TestEvents.tableIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * RegionGuardFunction as Lambda builds it: it refuses to start on an ALLOWED_REGIONS it cannot trust, before
 * it touches AWS, and reads and fixes each table with the client of the table's own region (mocked here:
 * moto_server serves one endpoint, so it cannot tell the Sydney client from the home one).
 */
class RegionGuardHandlerTest {
    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final DynamoDbClient sydney = SdkMocks.client(DynamoDbClient.class);
    private final SnsClient sns = SdkMocks.client(SnsClient.class);
    private final SqsClient sqs = SdkMocks.client(SqsClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:05Z"));

    @BeforeEach
    void homeRegion() {
        when(dynamo.serviceClientConfiguration()).thenReturn(
                DynamoDbServiceClientConfiguration.builder().region(Region.US_EAST_1).build());
    }

    private Services services(String allowedRegions) {
        Settings settings = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, allowedRegions)::get);
        return new Services(dynamo, sns, sqs, settings, clock, clock::advance,
                (account, region) -> "ap-southeast-2".equals(region) ? sydney : dynamo);
    }

    @Test
    void constructor_shouldRefuseToStartNamingTheVariable_whenAllowedRegionsIsEmpty() {
        // GIVEN
        Services services = services("");

        // WHEN / THEN
        assertThatThrownBy(() -> new WardenHandler(new RegionGuardRule(), services))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(EnvVar.ALLOWED_REGIONS);
        verifyNoInteractions(sydney, sns, sqs);
    }

    @Test
    void constructor_shouldRefuseToStart_whenAllowedRegionsLeavesOutTheHomeRegion() {
        assertThatThrownBy(() -> new WardenHandler(new RegionGuardRule(), services("eu-west-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(EnvVar.ALLOWED_REGIONS)
                .hasMessageContaining("us-east-1");
    }

    @Test
    void constructor_shouldRefuseToStart_whenAllowedRegionsHasATypo() {
        assertThatThrownBy(() -> new WardenHandler(new RegionGuardRule(), services("us-east-1,eu-wst-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(EnvVar.ALLOWED_REGIONS)
                .hasMessageContaining("eu-wst-1");
    }

    @Test
    void constructor_shouldStart_whenAllowedRegionsIsRealAndIncludesTheHomeRegion() {
        assertThatCode(() -> new WardenHandler(new RegionGuardRule(), services("us-east-1,eu-west-1"))).doesNotThrowAnyException();
    }

    @Test
    void handleRequest_shouldReadAndQuarantineWithTheTablesRegionalClient_whenATableIsCreatedInSydney() throws Exception {
        // GIVEN a forbidden-region table, seen only by the Sydney client
        String arn = tableIn("ap-southeast-2", "customer-copy").arn();
        when(sydney.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("customer-copy").tableArn(arn).tableStatus("ACTIVE")).build());
        when(sydney.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
        when(sydney.getResourcePolicy(any(GetResourcePolicyRequest.class)))
                .thenThrow(PolicyNotFoundException.builder().message("no policy").build());
        when(sydney.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenReturn(PutResourcePolicyResponse.builder().revisionId("r-1").build());
        WardenHandler handler = new WardenHandler(new RegionGuardRule(), services("us-east-1,eu-west-1"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        // WHEN
        handler.handleRequest(new ByteArrayInputStream(createTableIn("ap-southeast-2", "customer-copy").toString()
                .getBytes(StandardCharsets.UTF_8)), output, new FakeContext(60_000));

        // THEN
        JsonNode result = JSON.readTree(output.toByteArray()).path("results").get(0);
        assertThat(result.path("action").asText()).isEqualTo("FIXED");
        assertThat(result.path("severity").asText()).isEqualTo("HIGH");
        ArgumentCaptor<PutResourcePolicyRequest> put = ArgumentCaptor.forClass(PutResourcePolicyRequest.class);
        verify(sydney).putResourcePolicy(put.capture());
        assertThat(put.getValue().resourceArn()).isEqualTo(arn);
        assertThat(put.getValue().expectedRevisionId()).isEqualTo("NO_POLICY");
        verify(sydney).tagResource(any(TagResourceRequest.class));
        verify(dynamo, never()).describeTable(any(DescribeTableRequest.class));
        verify(dynamo, never()).putResourcePolicy(any(PutResourcePolicyRequest.class));
    }
}
