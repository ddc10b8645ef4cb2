package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.SweepPage;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.ledger.DynamoLedger;
import dev.ddbwarden.rules.iamusers.IamUsersRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the iam-users rule against moto_server on loopback, which models IAM users, groups,
 * group membership, inline and customer managed policies and access keys (checked with moto 5.2.1). The samples in
 * events/ are delivered as `./warden deliver` does; the rule's IAM reads go to moto through aws.endpointUrl. moto
 * evaluates no policy: IdentityActionsTest and IamUsersRuleTest hold the policy reading; moto loads AWS managed
 * policies only when asked (MOTO_IAM_LOAD_MANAGED_POLICIES), so a customer managed one stands in for them here.
 */
class IamUsersIT {
    private static final IamUsersRule RULE = new IamUsersRule();
    private static final String ALICE = "arn:aws:iam::123456789012:user/Alice";
    private static final String ORDERS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"dynamodb:GetItem\",\"dynamodb:PutItem\"],\"Resource\":\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"}]}";
    private static final String S3 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"*\"}]}";
    private final Harness harness = new Harness();
    private final IamClient iam = IamClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.AWS_GLOBAL).build();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(RULE, "iam:ListGroupPolicies", "iam:GetGroupPolicy", "iam:ListUserPolicies",
                "sns:Publish", "dynamodb:PutItem", "dynamodb:UpdateItem");
    }

    @AfterEach
    void tearDown() {
        iam.close();
        harness.close();
    }

    private JsonNode deliver(String sample) throws Exception {
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(Map.of()))), Project.event(sample));
    }

    @Test
    void publishedRecordsOfAnIamUserCreatingAndDeletingTables_shouldAlertOnceForTheDay_andCountBoth() throws Exception {
        // WHEN Alice's CreateTable arrives, then her DeleteTable later that day, then the CreateTable again
        JsonNode created = deliver("iam-users-create-table.json");
        JsonNode deleted = deliver("iam-users-delete-table.json");
        JsonNode again = deliver("iam-users-create-table.json");

        // THEN one MEDIUM alert on Alice naming the first call and how to move to a role; the others counted
        assertThat(created.at("/results/0/table").asText()).isEqualTo(ALICE);
        assertThat(created.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(created.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(deleted.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).contains("[MEDIUM] ddb-warden iam-users", "Alice");
            assertThat(alert.path("Message").asText()).contains("called dynamodb:CreateTable on table orders",
                    "update-access-key");
        });
        assertThat(harness.estate.ledgerItems()).hasSize(1);
        try (DynamoDbClient dynamo = DynamoDbClient.create()) {
            assertThat(new DynamoLedger(dynamo, LocalEstate.LEDGER, Clock.systemUTC()).sweepCounts("day#2024-05-14#iam-users#" + ALICE))
                    .isEqualTo(Map.of("CreateTable", 2, "DeleteTable", 1));
        }
    }

    @Test
    void theSameCallByARoleSession_shouldMatchNothing() throws Exception {
        JsonNode result = deliver("delete-table.json");

        assertThat(result.path("results")).isEmpty();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void aGroupPolicyAndAUserAddedToTheGroup_shouldEachBeMedium_namingTheActions() throws Exception {
        // GIVEN the group order-writers with the sample's inline policy, as IAM now holds it, and the user batch-loader
        String written = Harness.JSON.readTree(Project.event("iam-users-put-group-policy.json"))
                .at("/detail/requestParameters/policyDocument").asText();
        iam.createGroup(r -> r.groupName("order-writers"));
        iam.putGroupPolicy(r -> r.groupName("order-writers").policyName("orders-read-write").policyDocument(written));
        iam.createUser(r -> r.userName("batch-loader"));
        iam.addUserToGroup(r -> r.groupName("order-writers").userName("batch-loader"));

        JsonNode put = deliver("iam-users-put-group-policy.json");
        JsonNode added = deliver("iam-users-add-user-to-group.json");
        JsonNode key = deliver("iam-users-create-access-key.json");
        JsonNode addedAgain = deliver("iam-users-add-user-to-group.json");

        assertThat(put.at("/results/0/table").asText()).isEqualTo("arn:aws:iam::123456789012:group/order-writers");
        assertThat(added.at("/results/0/table").asText()).isEqualTo("arn:aws:iam::123456789012:user/batch-loader");
        assertThat(key.at("/results/0/severity").asText()).as("its groups' policies count").isEqualTo("MEDIUM");
        assertThat(addedAgain.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).hasSize(3).allSatisfy(alert ->
                assertThat(alert.path("Message").asText()).contains("dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query,"
                        + " dynamodb:UpdateItem", "orders-read-write"));
    }

    @Test
    void anAccessKeyForAUserWithoutDynamoDbAccess_shouldAlertNothing() throws Exception {
        iam.createUser(r -> r.userName("batch-loader"));
        iam.putUserPolicy(r -> r.userName("batch-loader").policyName("reports").policyDocument(S3));

        JsonNode result = deliver("iam-users-create-access-key.json");

        assertThat(result.path("results")).isEmpty();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void aManagedPolicyAttachedToAUser_shouldBeReadAtItsDefaultVersion() throws Exception {
        iam.createUser(r -> r.userName("reporting-app"));
        String policy = iam.createPolicy(r -> r.policyName("AmazonDynamoDBReadOnlyAccess").policyDocument(ORDERS)).policy().arn();
        String sample = Project.event("iam-users-attach-user-policy.json")
                .replace("arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", policy);

        JsonNode result = Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(Map.of()))), sample);

        assertThat(result.at("/results/0/table").asText()).isEqualTo("arn:aws:iam::123456789012:user/reporting-app");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("dynamodb:GetItem, dynamodb:PutItem", policy));
    }

    @Test
    void theSweep_shouldReportUsersAndGroupsWithAccess_onceASweep() throws Exception {
        iam.createUser(r -> r.userName("batch-loader"));
        iam.putUserPolicy(r -> r.userName("batch-loader").policyName("orders").policyDocument(ORDERS));
        iam.createUser(r -> r.userName("auditor"));
        iam.putUserPolicy(r -> r.userName("auditor").policyName("reports").policyDocument(S3));
        harness.estate.createTable("orders", true);
        LocalSweep sweep = new LocalSweep(Services.create(harness.settings(Map.of())), 1);

        SweepPage page = sweep.sweeper().page("iu-sweep", LocalAws.ACCOUNT, "us-east-1", Optional.empty(), true, 0, budget());
        SweepPage other = sweep.sweeper().page("iu-sweep", LocalAws.ACCOUNT, "eu-west-1", Optional.empty(), true, 0, budget());

        assertThat(page.results()).filteredOn(r -> r.rule().equals("iam-users")).singleElement().satisfies(r ->
                assertThat(r.table()).isEqualTo("arn:aws:iam::123456789012:user/batch-loader"));
        assertThat(other.results()).as("IAM is global: read in the home region only").filteredOn(r -> r.rule().equals("iam-users"))
                .isEmpty();
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).filteredOn(a -> a.path("Subject").asText().contains("ddb-warden iam-users")).singleElement()
                .satisfies(alert -> assertThat(alert.path("Message").asText()).contains("Found by the scheduled sweep"));
    }

    private static TimeBudget budget() {
        return TimeBudget.of(Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(10));
    }
}
