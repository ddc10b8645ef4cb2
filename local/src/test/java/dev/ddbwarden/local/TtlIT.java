package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.ttl.TtlRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the ttl rule against moto_server on loopback: moto (5.2.1) models UpdateTimeToLive
 * and DescribeTimeToLive, but turns TTL on and off at once (no ENABLING or DISABLING) and never refuses another
 * change within the hour: the refusal and the re-checks it sends are covered on mocked clients (TtlFixesTest,
 * TtlPipelineTest).
 */
class TtlIT {
    private static final TtlRule RULE = new TtlRule();
    private static final String DEVELOPER = "arn:aws:iam::123456789012:role/developer";
    private final Harness harness = new Harness();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(RULE, "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive",
                "dynamodb:UpdateTimeToLive", "dynamodb:ListTagsOfResource", "sns:Publish", "dynamodb:PutItem");
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private JsonNode invoke(Map<String, String> overrides, String sample) throws Exception {
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(overrides))), Project.event(sample));
    }

    private void ttlOn(String table, String attribute) {
        harness.estate.dynamo().updateTimeToLive(r -> r.tableName(table)
                .timeToLiveSpecification(t -> t.enabled(true).attributeName(attribute)));
    }

    private TimeToLiveDescription ttlOf(String table) {
        return harness.estate.dynamo().describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
    }

    @Test
    void ttlTurnedOn_shouldBeTurnedOffAgain_alertedHigh_andARedeliveryChangesNothing() throws Exception {
        // GIVEN orders, whose TTL a developer just turned on over createdAt
        harness.estate.createTable("orders", true);
        ttlOn("orders", "createdAt");

        // WHEN the UpdateTimeToLive event arrives, twice
        JsonNode result = invoke(Map.of(), "update-time-to-live-enabled.json");
        ttlOn("orders", "createdAt");
        JsonNode again = invoke(Map.of(), "update-time-to-live-enabled.json");

        // THEN TTL went off once, one alert says what may be deleted and how to restore, the re-delivery did nothing
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(ttlOf("orders").timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(harness.estate.ledgerItems()).singleElement().satisfies(entry -> {
            assertThat(entry.get("stateBefore").s()).contains("Ttl[status=ENABLED, attribute=createdAt]");
            assertThat(entry.get("stateAfter").s()).contains("Ttl[status=DISABLING, attribute=createdAt]");
        });
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[HIGH] ddb-warden ttl: orders");
            assertThat(alert.path("Message").asText()).contains("Turned TTL off again on attribute createdAt")
                    .contains("may be deleted by DynamoDB within days unless TTL stays off")
                    .contains("--restore-date-time 2024-06-03T08:15:41Z");
        });
    }

    @Test
    void ttlTables_shouldLeaveTtlOn() throws Exception {
        harness.estate.createTable("orders", true);
        ttlOn("orders", "createdAt");

        assertThat(invoke(Map.of("TTL_TABLES", "ord*"), "update-time-to-live-enabled.json").at("/results/0/action").asText())
                .isEqualTo("COMPLIANT");
        assertThat(ttlOf("orders").timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void aDeclarationByAnApprovedPrincipal_shouldKeepTtlOn_andTheSameTagByAnyoneElseShouldNot() throws Exception {
        // GIVEN orders, tagged ddb-warden:ttl=createdAt by the developer, approved at that time (CloudTrail unchecked)
        harness.estate.createTable("orders", true);
        harness.estate.dynamo().tagResource(r -> r.resourceArn(harness.estate.describe("orders").tableArn())
                .tags(t -> t.key(TtlRule.TAG_KEY).value("createdAt")));
        JsonNode declared = invoke(Map.of("APPROVED_PRINCIPALS", DEVELOPER, "VERIFY_ACTORS", "false"),
                "tag-resource-ttl-by-hand.json");
        ttlOn("orders", "createdAt");

        // WHEN TTL is turned on over that attribute by someone no longer approved
        JsonNode enabled = invoke(Map.of(), "update-time-to-live-enabled.json");

        // THEN the declaration was recorded, and TTL stays on
        assertThat(declared.at("/results/0/action").asText()).isEqualTo("TAGGED");
        assertThat(enabled.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(ttlOf("orders").timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    }

    @Test
    void theSameTag_byAnUnapprovedPrincipal_shouldBeIgnored_andTtlTurnedOff() throws Exception {
        harness.estate.createTable("orders", true);
        harness.estate.dynamo().tagResource(r -> r.resourceArn(harness.estate.describe("orders").tableArn())
                .tags(t -> t.key(TtlRule.TAG_KEY).value("createdAt")));
        JsonNode ignored = invoke(Map.of(), "tag-resource-ttl-by-hand.json");
        ttlOn("orders", "createdAt");

        JsonNode enabled = invoke(Map.of(), "update-time-to-live-enabled.json");

        assertThat(ignored.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(enabled.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(ttlOf("orders").timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
    }
}
