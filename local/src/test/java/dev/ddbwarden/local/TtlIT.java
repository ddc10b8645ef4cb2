package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.ttl.TtlRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
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
    private static final String ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
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

    /** sessions, created as create-table-ttl-declaration.json records it: Tags ddb-warden:ttl=expiresAt and team=identity. */
    private void createSessionsTagged() {
        harness.estate.dynamo().createTable(r -> r.tableName("sessions").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .tags(t -> t.key(TtlRule.TAG_KEY).value("expiresAt"), t -> t.key("team").value("identity")));
    }

    /** UpdateTimeToLive turning TTL on over expiresAt on sessions, by the developer. */
    private static String ttlOnSessions() throws Exception {
        return Project.event("update-time-to-live-enabled.json").replace("\"orders\"", "\"sessions\"")
                .replace("table/orders", "table/sessions").replace("\"createdAt\"", "\"expiresAt\"");
    }

    @Test
    void aTableCreatedWithTheTag_byAnApprovedPrincipal_shouldDeclareTtl_soThatALaterUpdateTimeToLiveStands() throws Exception {
        // GIVEN sessions, created with ddb-warden:ttl=expiresAt by platform-admin, approved (CloudTrail unchecked)
        createSessionsTagged();
        JsonNode created = Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(
                Map.of("APPROVED_PRINCIPALS", ADMIN, "VERIFY_ACTORS", "false")))), Project.event("create-table-ttl-declaration.json"));
        ttlOn("sessions", "expiresAt");

        // WHEN the developer's UpdateTimeToLive over that attribute arrives
        JsonNode enabled = Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(Map.of()))), ttlOnSessions());

        // THEN the creation was recorded as the declaration, and TTL stays on
        assertThat(created.at("/results/0/action").asText()).isEqualTo("TAGGED");
        assertThat(enabled.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(ttlOf("sessions").timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    }

    @Test
    void aTableCreatedWithTheTag_byAnOrdinaryPrincipal_shouldDeclareNothing_andTtlTurnedOff() throws Exception {
        createSessionsTagged();
        JsonNode created = invoke(Map.of(), "create-table-ttl-declaration.json");
        ttlOn("sessions", "expiresAt");

        JsonNode enabled = Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(Map.of()))), ttlOnSessions());

        assertThat(created.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(enabled.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(ttlOf("sessions").timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
    }
}
