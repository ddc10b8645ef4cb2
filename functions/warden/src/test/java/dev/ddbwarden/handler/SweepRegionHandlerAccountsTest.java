package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.SweepSettings;
import dev.ddbwarden.event.JsonText;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

/**
 * The sweep function's {@code start} names the accounts the state machine maps over (the SweepAccounts list, else the
 * Organization's when a member role is set, else this account; this account always, first), and {@code failed} counts
 * a region of an account whose pages failed past the state machine's retries, naming the account; {@code regions} gives
 * an account's regions.
 */
class SweepRegionHandlerAccountsTest {
    private static final String HOME = "123456789012";
    private final AtomicInteger listed = new AtomicInteger();

    private JsonNode invoke(boolean organization, String request) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));
        DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
        when(dynamo.serviceClientConfiguration()).thenReturn(DynamoDbServiceClientConfiguration.builder().region(Region.US_EAST_1).build());
        Services services = new Services(dynamo, SdkMocks.client(SnsClient.class),
                SdkMocks.client(SqsClient.class), Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1")::get), clock, clock::advance);
        SweepRegionHandler handler = new SweepRegionHandler(services, () -> new SweepSettings(false, 50), organization, () -> {
            listed.incrementAndGet();
            return List.of("444444444444", HOME, "555555555555");
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, new FakeContext(60_000));
        return JsonText.read(out.toByteArray());
    }

    @Test
    void start_shouldMapOverTheListedAccounts_thisOneFirst() throws Exception {
        JsonNode started = invoke(true, "{\"action\":\"start\",\"accounts\":\"222222222222, 333333333333,222222222222\"}");

        assertThat(started.path("accounts")).extracting(JsonNode::asText).containsExactly(HOME, "222222222222", "333333333333");
        assertThat(started.path("reportOnly").asBoolean()).isFalse();
        assertThat(listed).hasValue(0);
    }

    @Test
    void start_shouldMapOverTheOrganizationsAccounts_whenNoneAreListed_andAMemberRoleIsSet() throws Exception {
        JsonNode started = invoke(true, "{\"action\":\"start\",\"accounts\":\"\"}");

        assertThat(started.path("accounts")).extracting(JsonNode::asText).containsExactly(HOME, "444444444444", "555555555555");
    }

    @Test
    void start_shouldSweepThisAccountAlone_withNoMemberRole() throws Exception {
        JsonNode started = invoke(false, "{\"action\":\"start\",\"accounts\":\"\"}");

        assertThat(started.path("accounts")).extracting(JsonNode::asText).containsExactly(HOME);
        assertThat(listed).hasValue(0);
    }

    /** SweepRegions named explicitly is every account's list as it is: no account is asked (AccountRegionsTest decides the rest). */
    @Test
    void regions_shouldBeTheConfiguredList_asNamed() throws Exception {
        JsonNode regions = invoke(true, "{\"action\":\"regions\",\"account\":\"222222222222\","
                + "\"regions\":[\"us-east-1\",\"eu-west-1\"],\"configured\":\"us-east-1,eu-west-1\"}");

        assertThat(regions.path("account").asText()).isEqualTo("222222222222");
        assertThat(regions.path("regions")).extracting(JsonNode::asText).containsExactly("us-east-1", "eu-west-1");
    }

    @Test
    void failed_shouldCountTheRegion_namingItsAccount() throws Exception {
        JsonNode failed = invoke(true, "{\"action\":\"failed\",\"sweepId\":\"s1\",\"account\":\"222222222222\",\"region\":\"eu-west-1\","
                + "\"error\":{\"Error\":\"States.TaskFailed\",\"Cause\":\"AccessDenied on sts:AssumeRole\"}}");

        assertThat(failed.path("counts").path("failed").asInt()).isEqualTo(1);
        assertThat(failed.path("counts").path("sweep:222222222222/eu-west-1:PAGE_FAILED").asInt()).isEqualTo(1);
    }
}
