package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.handler.Sweeper;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.iamusers.IamUsersRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
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
 * Findings filed in Security Hub by the real handler and sweep, against moto_server 5.2.1's Security Hub
 * (BatchImportFindings and GetFindings, kept per account and region). moto differs from AWS in what it does not check:
 * it imports whether or not Security Hub is enabled (no InvalidAccessException), takes any ProductArn and AwsAccountId
 * whatever the caller's account, replaces a finding with the same Id without comparing UpdatedAt, and applies no
 * GetFindings filter; those answers are held by SecurityHubImportsTest and SecurityHubPublisherTest against a fake.
 */
class SecurityHubIT {
    private static final String ORDERS_ARN = "arn:aws:dynamodb:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT + ":table/orders";
    private static final String ID = "ddb-warden/deletion-protection/" + ORDERS_ARN;
    private final Harness harness = new Harness();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    /** GetFindings, signed as Security Hub's, as the AWS CLI would send it: every finding moto keeps for the account. */
    private List<JsonNode> findings() throws Exception {
        return LocalSecurityHub.findings(harness.moto.endpoint(), DefaultCredentialsProvider.builder().build(), LocalAws.REGION);
    }

    private JsonNode finding(String id) throws Exception {
        List<JsonNode> matching = findings().stream().filter(f -> id.equals(f.path("Id").asText())).toList();
        assertThat(matching).as("findings with Id " + id).hasSize(1);
        return matching.get(0);
    }

    @Test
    void notifyMode_shouldFileAnActiveFailedFinding_inTheTablesAccount_andStillAlert() throws Exception {
        harness.estate.createTable("orders", false);

        JsonNode result = Harness.invoke(harness.handler(Map.of("SECURITY_HUB_FINDINGS", "true", "REMEDIATION_MODE", "notify")),
                Project.event("create-table-unprotected.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        JsonNode finding = finding(ID);
        assertThat(finding.path("AwsAccountId").asText()).isEqualTo(LocalAws.ACCOUNT);
        assertThat(finding.path("ProductArn").asText())
                .isEqualTo("arn:aws:securityhub:us-east-1:" + LocalAws.ACCOUNT + ":product/" + LocalAws.ACCOUNT + "/default");
        assertThat(finding.path("Compliance").path("Status").asText()).isEqualTo("FAILED");
        assertThat(finding.path("RecordState").asText()).isEqualTo("ACTIVE");
        assertThat(finding.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsDynamoDbTable");
        assertThat(finding.has("Workflow")).isFalse();
        assertThat(harness.estate.drainAlerts()).singleElement()
                .satisfies(alert -> assertThat(alert.path("Message").asText()).doesNotContain("Security Hub"));
    }

    @Test
    void fix_shouldLeaveTheSameFindingPassedAndArchived() throws Exception {
        harness.estate.createTable("orders", false);

        JsonNode result = Harness.invoke(harness.handler(Map.of("SECURITY_HUB_FINDINGS", "true")),
                Project.event("create-table-unprotected.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        JsonNode finding = finding(ID);
        assertThat(finding.path("Compliance").path("Status").asText()).isEqualTo("PASSED");
        assertThat(finding.path("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(finding.path("ProductFields").path("ddb-warden/Severity").asText()).isNotEqualTo("INFORMATIONAL");
        assertThat(harness.estate.drainAlerts()).hasSize(1);
    }

    @Test
    void sweep_shouldArchiveTheFinding_whenItFindsTheTableCompliant() throws Exception {
        harness.estate.createTable("orders", false);
        Harness.invoke(harness.handler(Map.of("SECURITY_HUB_FINDINGS", "true", "REMEDIATION_MODE", "notify")),
                Project.event("create-table-unprotected.json"));
        assertThat(finding(ID).path("RecordState").asText()).isEqualTo("ACTIVE");
        try (DynamoDbClient dynamo = DynamoDbClient.create()) {
            dynamo.updateTable(r -> r.tableName("orders").deletionProtectionEnabled(true));
        }

        Sweeper sweeper = new Sweeper(Services.create(harness.settings(Map.of("SECURITY_HUB_FINDINGS", "true"))));
        sweeper.page("sweep-sh", LocalAws.ACCOUNT, LocalAws.REGION, Optional.empty(), true, 50,
                TimeBudget.of(Clock.systemUTC(), Duration.ofMinutes(5), Duration.ZERO));

        JsonNode finding = finding(ID);
        assertThat(finding.path("Compliance").path("Status").asText()).isEqualTo("PASSED");
        assertThat(finding.path("RecordState").asText()).isEqualTo("ARCHIVED");
    }

    @Test
    void sweep_shouldArchiveAnIamUsersFinding_whenTheUserNoLongerReachesDynamoDb() throws Exception {
        // GIVEN a finding filed for a policy that let IAM user reporting-app read DynamoDB
        String id = "ddb-warden/iam-users/arn:aws:iam::" + LocalAws.ACCOUNT + ":user/reporting-app";
        Map<String, String> findingsOn = Map.of("SECURITY_HUB_FINDINGS", "true");
        try (IamClient iam = Clients.standard(IamClient.builder()).region(Region.AWS_GLOBAL).build()) {
            iam.createUser(r -> r.userName("reporting-app"));
            String policy = iam.createPolicy(r -> r.policyName("orders-read").policyDocument("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\"}]}")).policy().arn();
            iam.attachUserPolicy(r -> r.userName("reporting-app").policyArn(policy));
            Harness.invoke(new WardenHandler(new IamUsersRule(), Services.create(harness.settings(findingsOn))),
                    Project.event("iam-users-attach-user-policy.json").replace("arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", policy));
            assertThat(finding(id).path("RecordState").asText()).isEqualTo("ACTIVE");
            // WHEN the policy is detached and the sweep looks
            iam.detachUserPolicy(r -> r.userName("reporting-app").policyArn(policy));
        }
        new Sweeper(Services.create(harness.settings(findingsOn))).page("sweep-iu", LocalAws.ACCOUNT, LocalAws.REGION,
                Optional.empty(), true, 50, TimeBudget.of(Clock.systemUTC(), Duration.ofMinutes(5), Duration.ZERO));

        // THEN the same finding is passed and archived, as a compliant table's is
        JsonNode finding = finding(id);
        assertThat(finding.path("Compliance").path("Status").asText()).isEqualTo("PASSED");
        assertThat(finding.path("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(finding.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsIamUser");
        assertThat(finding.has("Workflow")).isFalse();
    }

    @Test
    void anAlertReSentFromTheLedger_shouldFileItsFinding() throws Exception {
        // GIVEN a fix whose alert went out before findings were filed, and whose run then died before recording it sent
        harness.estate.createTable("orders", false);
        Harness.invoke(harness.handler(Map.of()), Project.event("create-table-unprotected.json"));
        harness.estate.drainAlerts();
        markUnsent(false);

        // WHEN the event is delivered again, findings on
        JsonNode result = Harness.invoke(harness.handler(Map.of("SECURITY_HUB_FINDINGS", "true")),
                Project.event("create-table-unprotected.json"));

        // THEN the alert is re-sent from the ledger, and its finding filed from the facts the ledger kept: fixed, so closed
        assertThat(result.at("/results/0/alert").asText()).isEqualTo("sent");
        assertThat(harness.estate.drainAlerts()).hasSize(1);
        JsonNode finding = finding(ID);
        assertThat(finding.path("Compliance").path("Status").asText()).isEqualTo("PASSED");
        assertThat(finding.path("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(finding.path("ProductFields").path("ddb-warden/Severity").asText()).isEqualTo("MEDIUM");
    }

    @Test
    void anEntryWrittenBeforeFactsWereKept_shouldStillReSendItsAlert_withoutAFinding() throws Exception {
        harness.estate.createTable("orders", false);
        Harness.invoke(harness.handler(Map.of()), Project.event("create-table-unprotected.json"));
        harness.estate.drainAlerts();
        markUnsent(true);

        JsonNode result = Harness.invoke(harness.handler(Map.of("SECURITY_HUB_FINDINGS", "true")),
                Project.event("create-table-unprotected.json"));

        assertThat(result.at("/results/0/alert").asText()).isEqualTo("sent");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Subject").asText()).contains("orders"));
        assertThat(findings()).noneMatch(f -> ID.equals(f.path("Id").asText()));
    }

    /**
     * The ledger entry of the table's fix as a run that died after publishing, before recording it, leaves it; and, as
     * an entry written before the ledger kept an alert's facts, without them.
     */
    private void markUnsent(boolean asBeforeFactsWereKept) {
        try (DynamoDbClient dynamo = DynamoDbClient.create()) {
            var entry = dynamo.scan(r -> r.tableName(LocalEstate.LEDGER)).items().stream()
                    .filter(item -> item.containsKey("tableArn") && ORDERS_ARN.equals(item.get("tableArn").s())
                            && "deletion-protection".equals(item.get("rule").s()))
                    .findFirst().orElseThrow();
            dynamo.updateItem(r -> r.tableName(LocalEstate.LEDGER)
                    .key(Map.of("eventId", entry.get("eventId"), "subject", entry.get("subject")))
                    .updateExpression("SET alertStatus = :pending" + (asBeforeFactsWereKept ? " REMOVE alertFacts" : ""))
                    .expressionAttributeValues(Map.of(":pending",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("PENDING"))));
        }
    }

    @Test
    void securityHubOff_shouldFileNothing() throws Exception {
        harness.estate.createTable("orders", false);

        Harness.invoke(harness.handler(Map.of()), Project.event("create-table-unprotected.json"));

        assertThat(findings()).noneMatch(f -> ID.equals(f.path("Id").asText()));
        assertThat(harness.estate.drainAlerts()).hasSize(1);
    }
}
