package dev.ddbwarden.local;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fault proxy between ddb-warden's own SDK clients and moto_server: what passes, and how each
 * injected fault reaches the client (which retries what it should).
 */
class FaultProxyIT {
    private MotoServer moto;
    private FaultProxy proxy;
    private Services services;
    private LocalEstate estate;

    @BeforeEach
    void setUp() throws Exception {
        moto = SharedMoto.fresh();
        estate = new LocalEstate();
        proxy = FaultProxy.start(moto.endpoint(), 7);
        services = ProxiedServices.create(proxy.endpoint(), Settings.from(Map.of("ALLOWED_REGIONS", LocalAws.REGION)::get));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        estate.close();
    }

    @Test
    void passthrough_shouldCarryARealDynamoDbCall() {
        estate.createTable("orders", false);

        var table = services.dynamo().describeTable(r -> r.tableName("orders")).table();

        assertThat(table.tableName()).isEqualTo("orders");
        assertThat(proxy.count("dynamodb", "DescribeTable")).isEqualTo(1);
    }

    @Test
    void injected500_shouldBeRetriedByTheClient_untilItPasses() {
        estate.createTable("orders", false);
        FaultProxy.Rule rule = proxy.next(2, FaultProxy.Fault.ERROR_500, FaultProxy.Match.call("dynamodb", "UpdateTable"), 0);

        services.dynamo().updateTable(r -> r.tableName("orders").deletionProtectionEnabled(true));

        assertThat(rule.fired()).isEqualTo(2);
        assertThat(proxy.count("dynamodb", "UpdateTable")).isEqualTo(3);
        assertThat(estate.describe("orders").deletionProtectionEnabled()).isTrue();
    }

    @Test
    void reset_shouldBeRetriedByTheClient() {
        estate.createTable("orders", false);
        proxy.next(1, FaultProxy.Fault.RESET, FaultProxy.Match.operation("DescribeTable"), 0);

        services.dynamo().describeTable(r -> r.tableName("orders"));

        assertThat(proxy.count("dynamodb", "DescribeTable")).isEqualTo(2);
    }

    @Test
    void throttling_shouldBeRetried() {
        estate.createTable("orders", false);
        proxy.next(2, FaultProxy.Fault.THROTTLE, FaultProxy.Match.operation("DescribeTable"), 0);

        services.dynamo().describeTable(r -> r.tableName("orders"));

        assertThat(proxy.count("dynamodb", "DescribeTable")).isEqualTo(3);
    }

    @Test
    void snsFailingEveryTime_shouldSurfaceAsTheServiceError_afterTheClientsRetries() {
        String topic = estate.createAlertTopic();
        proxy.always(FaultProxy.Fault.ERROR_500, FaultProxy.Match.call("sns", "Publish"), 0);

        assertThatThrownBy(() -> services.sns().publish(r -> r.topicArn(topic).message("hello")))
                .isInstanceOfSatisfying(SnsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                });
        assertThat(proxy.count("sns", "Publish")).isGreaterThan(1);
    }

    @Test
    void refusing_shouldFailTheCall_andAcceptingAgain_shouldServeIt() throws Exception {
        estate.createTable("orders", false);
        proxy.refuse();

        assertThatThrownBy(() -> services.dynamo().describeTable(r -> r.tableName("orders")))
                .isInstanceOf(SdkClientException.class);

        proxy.accept();
        assertThat(services.dynamo().describeTable(r -> r.tableName("orders")).table().tableName()).isEqualTo("orders");
    }

    @Test
    void probability_shouldBeSeeded_soThatARunRepeats() throws Exception {
        estate.createTable("orders", false);
        long[] fired = new long[2];
        for (int run = 0; run < 2; run++) {
            try (FaultProxy seeded = FaultProxy.start(moto.endpoint(), 42)) {
                Services client = ProxiedServices.create(seeded.endpoint(),
                        Settings.from(Map.of("ALLOWED_REGIONS", LocalAws.REGION)::get));
                FaultProxy.Rule rule = seeded.sometimes(FaultProxy.Fault.ERROR_500, FaultProxy.Match.operation("DescribeTable"), 0.3, 0);
                for (int i = 0; i < 20; i++) {
                    client.dynamo().describeTable(r -> r.tableName("orders"));
                }
                fired[run] = rule.fired();
            }
        }
        assertThat(fired[0]).isPositive().isEqualTo(fired[1]);
    }
}
