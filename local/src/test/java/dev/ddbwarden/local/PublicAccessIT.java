package dev.ddbwarden.local;

import dev.ddbwarden.handler.WardenHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler against moto_server on loopback. moto has no block public access, so a
 * policy open to everyone can be written here: that is the defence-in-depth path (in AWS, DynamoDB
 * would have refused the write). moto cannot hold stream policies, ignores {@code resourcePolicy} on
 * CreateTable and never refuses an update within 15 seconds: those are covered with mocked clients in
 * the functions module (PublicAccessPipelineTest, RemovePolicyStatementsFixTest).
 */
class PublicAccessIT {
    private static final Map<String, String> TRUST = Map.of(
            "TRUSTED_ACCOUNTS", "444455556666",
            "TRUSTED_ORG_IDS", "o-trusted1234");
    private Harness harness;
    private WardenHandler handler;

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(new PublicAccessRule(),
                "dynamodb:GetResourcePolicy", "dynamodb:PutResourcePolicy", "sns:Publish");
    }

    @BeforeEach
    void setUp() {
        harness = new Harness();
        handler = harness.publicAccess(TRUST);
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void publicStatement_shouldBeTakenBack_whileTheLegitimateOneStays() throws Exception {
        // GIVEN a policy with an own-account reader and a statement open to everyone, as the event wrote it
        harness.estate.createTable("shared-reports", true);
        String event = harness.estate.replayPolicyWrite(Project.event("put-resource-policy-public.json"));

        // WHEN the PutResourcePolicy event arrives
        JsonNode result = Harness.invoke(handler, event);

        // THEN only the public statement is gone, and the alert quotes it so an owner can restore it
        assertThat(result.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        String policy = harness.estate.policy("shared-reports").orElseThrow();
        assertThat(policy).contains("ReportsReader").doesNotContain("EveryoneRead");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("Subject").asText()).startsWith("[CRITICAL]").contains("shared-reports");
        assertThat(alerts.get(0).path("Message").asText())
                .contains("\"Sid\": \"EveryoneRead\"")
                .contains("Removed 1 statement(s)");
        assertThat(harness.estate.ledgerItems().get(0).get("stateBefore").s()).contains("EveryoneRead");
    }

    @Test
    void untrustedAccount_shouldBeTakenBack_whileTheTrustedPartnerStays() throws Exception {
        harness.estate.createTable("partner-feed", true);
        String event = harness.estate.replayPolicyWrite(Project.event("put-resource-policy-cross-account.json"));

        JsonNode result = Harness.invoke(handler, event);

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("HIGH");
        String policy = harness.estate.policy("partner-feed").orElseThrow();
        assertThat(policy).contains("444455556666").doesNotContain("999988887777");
        assertThat(harness.estate.drainAlerts()).singleElement()
                .satisfies(a -> assertThat(a.path("Message").asText()).contains("999988887777"));
    }

    @Test
    void statementLimitedToATrustedOrganization_shouldBeLeftAlone_withoutAlert() throws Exception {
        harness.estate.createTable("org-analytics", true);
        String event = harness.estate.replayPolicyWrite(Project.event("put-resource-policy-trusted-org.json"));
        String before = harness.estate.policy("org-analytics").orElseThrow();

        JsonNode result = Harness.invoke(handler, event);

        assertThat(result.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(harness.estate.policy("org-analytics")).contains(before);
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void onlyLeakingStatement_shouldDeleteThePolicy() throws Exception {
        harness.estate.createTable("orders", true);
        String event = harness.estate.replayPolicyWrite(Project.event("put-resource-policy-public.json")
                .replace("shared-reports", "orders"));
        // Leave only the public statement in place.
        String arn = harness.estate.describe("orders").tableArn();
        String revision = harness.estate.dynamo().putResourcePolicy(r -> r.resourceArn(arn).policy(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EveryoneRead\",\"Effect\":\"Allow\","
                        + "\"Principal\":\"*\",\"Action\":\"dynamodb:GetItem\",\"Resource\":\"" + arn + "\"}]}")).revisionId();
        event = event.replaceAll("\"revisionId\":\"[^\"]*\"", "\"revisionId\":\"" + revision + "\"");

        JsonNode result = Harness.invoke(handler, event);

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.policy("orders")).isEmpty();
        assertThat(harness.estate.drainAlerts()).singleElement()
                .satisfies(a -> assertThat(a.path("Message").asText()).contains("Deleted the resource policy"));
    }

    @Test
    void replayedEvent_shouldFindNothingToDo_andSendNoSecondAlert() throws Exception {
        harness.estate.createTable("shared-reports", true);
        String event = harness.estate.replayPolicyWrite(Project.event("put-resource-policy-public.json"));
        Harness.invoke(handler, event);
        String after = harness.estate.policy("shared-reports").orElseThrow();
        harness.estate.drainAlerts();

        JsonNode replay = Harness.invoke(handler, event);

        assertThat(replay.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.policy("shared-reports")).contains(after);
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void refusedAttempt_shouldBeAlerted_withNothingChanged() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode result = Harness.invoke(handler, Project.event("put-resource-policy-refused.json"));

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(harness.estate.policy("orders")).isEmpty();
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(a -> {
            assertThat(a.path("Subject").asText()).contains("refused attempt to open table");
            assertThat(a.path("Message").asText()).contains("PolicyNotAllowedException").contains("alice");
        });
    }

    @Test
    void refusedHarmlessPolicy_shouldBeAlertedMedium() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode result = Harness.invoke(handler, Project.event("put-resource-policy-refused-private.json"));

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(harness.estate.drainAlerts()).hasSize(1);
    }

    @Test
    void exportToAnUntrustedAccountsBucket_shouldAlertHigh_withBucketOwnerAndActor() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode result = Harness.invoke(handler, Project.event("export-untrusted-bucket.json"));

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(a -> assertThat(a.path("Message").asText())
                .contains("exfil-bucket").contains("999988887777").contains("assumed-role/developer/alice"));
    }

    @Test
    void exportToOwnBucket_shouldBeSilent() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode result = Harness.invoke(handler, Project.event("export-own-bucket.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void notifyMode_shouldChangeNothing_andSayWhatToRun() throws Exception {
        harness.estate.createTable("shared-reports", true);
        String event = harness.estate.replayPolicyWrite(Project.event("put-resource-policy-public.json"));
        String before = harness.estate.policy("shared-reports").orElseThrow();

        Harness.invoke(harness.publicAccess(Map.of("REMEDIATION_MODE", "notify")), event);

        assertThat(harness.estate.policy("shared-reports")).contains(before);
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(a -> assertThat(a.path("Message").asText())
                .contains("aws dynamodb put-resource-policy").contains("--expected-revision-id"));
    }
}
