package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.privatenetwork.NetworkStatement;
import dev.ddbwarden.rules.privatenetwork.PrivateNetworkRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the private-network rule against moto_server on loopback: moto (5.2.1) models
 * resource policies with their revisions (and refuses a write on a stale one) and tags; it evaluates no policy, so
 * what the statement denies and spares is proved in an IAM simulator instead (TemplateIamContractIT), and it does
 * not block a second policy update for 15 seconds (PolicyWriter's retry is covered on mocks, as for public-access).
 */
class PrivateNetworkIT {
    private static final PrivateNetworkRule RULE = new PrivateNetworkRule();
    private static final String ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
    private static final String VPCE = "vpce-0a1b2c3d4e5f60718";
    private static final Map<String, String> ADMIN_APPROVED = Map.of("APPROVED_PRINCIPALS", ADMIN, "VERIFY_ACTORS", "false");
    private final Harness harness = new Harness();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(RULE, "dynamodb:DescribeTable", "dynamodb:ListTagsOfResource",
                "dynamodb:GetResourcePolicy", "dynamodb:PutResourcePolicy", "sns:Publish", "dynamodb:PutItem");
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private JsonNode invoke(Map<String, String> overrides, String sample) throws Exception {
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(overrides))), Project.event(sample));
    }

    private void tagOrders(String value) {
        harness.estate.dynamo().tagResource(r -> r.resourceArn(harness.estate.describe("orders").tableArn())
                .tags(t -> t.key(PrivateNetworkRule.TAG_KEY).value(value)));
    }

    private String policyOfOrders() {
        return harness.estate.policy("orders").orElseThrow(() -> new AssertionError("orders has no resource policy"));
    }

    @Test
    void approvedTag_shouldAddTheStatement_andAPolicyDeletedLaterPutsItBack_HIGH_once() throws Exception {
        // GIVEN orders, tagged ddb-warden:network by platform-admin, approved (CloudTrail unchecked)
        harness.estate.createTable("orders", true);
        tagOrders(VPCE);
        JsonNode tagged = invoke(ADMIN_APPROVED, "private-network-tag-resource.json");
        assertThat(tagged.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(tagged.at("/results/0/severity").asText()).isEqualTo("LOW");
        assertThat(policyOfOrders()).contains(NetworkStatement.SID, VPCE);
        harness.estate.drainAlerts();

        // WHEN a developer deletes the table's policy, and the event arrives twice (the admin no longer approved)
        harness.estate.dynamo().deleteResourcePolicy(r -> r.resourceArn(harness.estate.describe("orders").tableArn()));
        JsonNode restored = invoke(Map.of(), "private-network-delete-resource-policy.json");
        JsonNode again = invoke(Map.of(), "private-network-delete-resource-policy.json");

        // THEN the statement is back at once, alerted HIGH once; the re-delivery changed nothing
        assertThat(restored.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(policyOfOrders()).contains(NetworkStatement.SID, VPCE, "aws-service-role/*");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[HIGH] ddb-warden private-network: orders");
            assertThat(alert.path("Message").asText()).contains("DeleteResourcePolicy", "assumed-role/developer/alice");
        });
    }

    @Test
    void policyReplacedWithoutTheStatement_shouldGetItBack_keepingTheOwnersStatement() throws Exception {
        harness.estate.createTable("orders", true);
        tagOrders(VPCE);
        invoke(ADMIN_APPROVED, "private-network-tag-resource.json");
        String written = harness.estate.replayPolicyWrite(Project.event("private-network-put-resource-policy.json"));
        assertThat(policyOfOrders()).doesNotContain(NetworkStatement.SID);

        JsonNode restored = Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(Map.of()))), written);

        assertThat(restored.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(restored.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(policyOfOrders()).contains(NetworkStatement.SID, "\"AppRead\"", "arn:aws:iam::123456789012:role/orders-app");
    }

    @Test
    void theSameTag_byADeveloper_shouldBeIgnored_andTheTableLeftOpen() throws Exception {
        harness.estate.createTable("orders", true);
        tagOrders(VPCE);

        JsonNode ignored = invoke(Map.of(), "private-network-tag-resource-by-hand.json");
        harness.estate.dynamo().putResourcePolicy(r -> r.resourceArn(harness.estate.describe("orders").tableArn())
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AppRead\",\"Effect\":\"Allow\",\"Principal\":"
                        + "{\"AWS\":\"arn:aws:iam::123456789012:role/orders-app\"},\"Action\":\"dynamodb:GetItem\",\"Resource\":\""
                        + harness.estate.describe("orders").tableArn() + "\"}]}"));
        JsonNode later = invoke(Map.of(), "private-network-delete-resource-policy.json");

        assertThat(ignored.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(ignored.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(later.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(policyOfOrders()).doesNotContain(NetworkStatement.SID);
    }

    @Test
    void privateTables_shouldGetTheStatementAtCreateTable() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode created = invoke(Map.of("PRIVATE_TABLES", "ord*", "ALLOWED_VPC_ENDPOINTS", "vpce-11111111"),
                "create-table-unprotected.json");

        assertThat(created.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(policyOfOrders()).contains(NetworkStatement.SID, "vpce-11111111");
    }

    @Test
    void getItemFromOutside_onATableWhoseStatementNamesItsEndpoint_shouldAlertHighOncePerHour_andThroughItNothing() throws Exception {
        // GIVEN orders, private by a held tag: its policy holds the statement naming vpce-0a1b2c3d4e5f60718
        harness.estate.createTable("orders", true);
        tagOrders(VPCE);
        invoke(ADMIN_APPROVED, "private-network-tag-resource.json");
        harness.estate.drainAlerts();

        // WHEN a trail's data events show GetItem from the internet twice in the hour (two events), and once through the endpoint
        JsonNode first = invoke(Map.of(), "private-network-data-get-item-outside.json");
        JsonNode second = Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(Map.of()))),
                Project.event("private-network-data-get-item-outside.json").replace("c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e01",
                        "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e09").replace("08:20:05Z", "08:47:13Z"));
        JsonNode through = invoke(Map.of(), "private-network-data-get-item-endpoint.json");

        // THEN one HIGH alert for the table and source in that hour, the second counted; the endpoint's call is fine
        assertThat(first.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(first.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(second.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(through.path("results")).isEmpty();
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("GetItem", "from 203.0.113.10, through no VPC endpoint"));
    }

    private static List<String> actionsOn(JsonNode result) {
        List<String> actions = new java.util.ArrayList<>();
        result.path("results").forEach(r -> actions.add(r.path("table").asText().replaceAll(".*:table/", "") + " "
                + r.path("action").asText()));
        return actions;
    }

    @Test
    void batchWriteItem_onAPrivateTableAndAnother_shouldAlertThePrivateOneOnce_andARedeliveryNothing() throws Exception {
        // GIVEN orders, private by PrivateTables, and audit-log, which is not
        harness.estate.createTable("orders", true);
        harness.estate.createTable("audit-log", true);
        Map<String, String> ordersPrivate = Map.of("PRIVATE_TABLES", "orders", "ALLOWED_VPC_ENDPOINTS", VPCE);

        // WHEN a BatchWriteItem from the internet writes to both, and the event arrives twice
        JsonNode first = invoke(ordersPrivate, "private-network-data-batch-write-item.json");
        JsonNode again = invoke(ordersPrivate, "private-network-data-batch-write-item.json");

        // THEN orders alone is alerted, HIGH, once
        assertThat(actionsOn(first)).containsExactly("orders ALERTED");
        assertThat(first.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(actionsOn(again)).containsExactly("orders ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[HIGH] ddb-warden private-network: orders");
            assertThat(alert.path("Message").asText()).contains("BatchWriteItem", "from 203.0.113.10").doesNotContain("audit-log");
        });
    }

    @Test
    void transactWriteItems_onTwoPrivateTables_shouldAlertEach() throws Exception {
        harness.estate.createTable("orders", true);
        harness.estate.createTable("order-lines", true);

        JsonNode first = invoke(Map.of("PRIVATE_TABLES", "order*", "ALLOWED_VPC_ENDPOINTS", VPCE),
                "private-network-data-transact-write-items.json");
        JsonNode again = invoke(Map.of("PRIVATE_TABLES", "order*", "ALLOWED_VPC_ENDPOINTS", VPCE),
                "private-network-data-transact-write-items.json");

        assertThat(actionsOn(first)).containsExactlyInAnyOrder("orders ALERTED", "order-lines ALERTED");
        assertThat(actionsOn(again)).containsExactlyInAnyOrder("orders ALREADY_HANDLED", "order-lines ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).hasSize(2);
    }

    @Test
    void executeStatement_onATableWhoseStatementNamesItsEndpoint_shouldAlertHigh() throws Exception {
        // GIVEN orders, private by a held tag: its policy holds the statement
        harness.estate.createTable("orders", true);
        tagOrders(VPCE);
        invoke(ADMIN_APPROVED, "private-network-tag-resource.json");
        harness.estate.drainAlerts();

        JsonNode read = invoke(Map.of(), "private-network-data-execute-statement.json");

        assertThat(actionsOn(read)).containsExactly("orders ALERTED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("ExecuteStatement", "its policy holds " + NetworkStatement.SID));
    }

    @Test
    void aTaggedTableWhoseStatementWasJustRemoved_shouldStayPrivate_byTheLedgersHold() throws Exception {
        // GIVEN orders, tagged by platform-admin (the ledger holds the tag), its statement then removed out of band
        harness.estate.createTable("orders", true);
        tagOrders(VPCE);
        invoke(ADMIN_APPROVED, "private-network-tag-resource.json");
        harness.estate.dynamo().deleteResourcePolicy(r -> r.resourceArn(harness.estate.describe("orders").tableArn()));
        harness.estate.drainAlerts();

        // WHEN a GetItem from the internet arrives before the DeleteResourcePolicy event, and again
        JsonNode reached = invoke(Map.of(), "private-network-data-get-item-outside.json");
        JsonNode again = invoke(Map.of(), "private-network-data-get-item-outside.json");

        // THEN it is alerted by the hold alone; the re-delivery changes nothing
        assertThat(actionsOn(reached)).containsExactly("orders ALERTED");
        assertThat(actionsOn(again)).containsExactly("orders ALREADY_HANDLED");
        assertThat(harness.estate.policy("orders")).isEmpty();
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("a trusted principal tagged it"));
    }

    @Test
    void aDataEventNamingNoTable_shouldDoNothing() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode result = invoke(Map.of("PRIVATE_TABLES", "*", "ALLOWED_VPC_ENDPOINTS", VPCE),
                "private-network-data-execute-statement-unreadable.json");

        assertThat(result.path("results")).isEmpty();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }
}
