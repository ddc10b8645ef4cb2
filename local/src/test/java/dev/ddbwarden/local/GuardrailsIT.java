package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.guardrails.GuardrailsRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the guardrails rule against moto_server on loopback, which models AWS Organizations
 * (an organization, its root and OUs, SCPs created, attached, detached, updated and deleted, policy types enabled and
 * disabled; checked with moto 5.2.1): each change is made in moto, then its sample record from events/ delivered with
 * moto's IDs in place of the sample's, and the function reads the policy back with its own DescribePolicy client.
 */
class GuardrailsIT {
    private static final GuardrailsRule RULE = new GuardrailsRule();
    private static final String DENY_DELETE = "ddb-warden-deny-delete-table";

    private final Harness harness = new Harness();
    private final LocalOrganizations organizations = new LocalOrganizations(harness.moto.endpoint());
    private String root;
    private String ou;

    @BeforeEach
    void organization() {
        root = organizations.root();
        ou = organizations.createOu("prod");
    }

    @AfterAll
    static void everySdkCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(RULE, "sns:Publish", "dynamodb:PutItem");
    }

    @AfterEach
    void tearDown() {
        organizations.close();
        harness.close();
    }

    private JsonNode deliver(String sample, String policyId, Map<String, String> settings) throws Exception {
        String event = LocalOrganizations.event(Project.event(sample), policyId, ou, root);
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(settings))), event);
    }

    private static String shipped(String file) throws Exception {
        return java.nio.file.Files.readString(Project.ROOT.resolve("scp").resolve(file));
    }

    @Test
    void detachingAShippedScp_shouldAlertCriticalOnce_namingWhatNoLongerApplies_andARedeliveryChangesNothing() throws Exception {
        // GIVEN deny-delete-table, created and attached to an OU as scp/README.md says, then detached
        String policy = organizations.createScp(DENY_DELETE, shipped("deny-delete-table.json"));
        organizations.attach(policy, ou);
        organizations.detach(policy, ou);

        // WHEN its DetachPolicy record arrives, then again
        JsonNode first = deliver("guardrails-detach-policy.json", policy, Map.of());
        JsonNode again = deliver("guardrails-detach-policy.json", policy, Map.of());

        // THEN one CRITICAL alert with the actor, the OU, the statements and the command; nothing the second time
        assertThat(first.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(first.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[CRITICAL] ddb-warden guardrails: " + policy + " at " + ou);
            assertThat(alert.path("Message").asText()).contains(DENY_DELETE, "assumed-role/org-admin/mallory",
                    "DenyDeleteTableExceptSecurityAndReplicaRemoval", "aws organizations attach-policy --policy-id " + policy
                            + " --target-id " + ou);
        });
        assertThat(harness.estate.ledgerItems()).hasSize(1);
    }

    @Test
    void detachingAnotherScp_shouldBeNothing() throws Exception {
        String policy = organizations.createScp("deny-leaving", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}");
        organizations.attach(policy, ou);
        organizations.detach(policy, ou);

        JsonNode result = deliver("guardrails-detach-policy.json", policy, Map.of());

        assertThat(result.path("results")).isEmpty();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void detachingAPolicyDeletedSinceCannotBeJudged_andFailsClosedHigh() throws Exception {
        String policy = organizations.createScp(DENY_DELETE, shipped("deny-delete-table.json"));
        organizations.delete(policy);

        JsonNode result = deliver("guardrails-detach-policy.json", policy, Map.of());

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("already deleted", "PolicyNotFoundException"));
    }

    @Test
    void updatingAShippedScp_shouldNameTheStatementItLost() throws Exception {
        // GIVEN deny-delete-table updated to the content the sample records (its first statement gone)
        String policy = organizations.createScp(DENY_DELETE, shipped("deny-delete-table.json"));
        String content = Harness.JSON.readTree(Project.event("guardrails-update-policy.json")).at("/detail/requestParameters/content").asText();
        organizations.update(policy, Harness.JSON.createObjectNode().put("Content", content));

        JsonNode result = deliver("guardrails-update-policy.json", policy, Map.of());

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> assertThat(alert.path("Message").asText())
                .contains("statement DenyDeleteTableExceptSecurityAndReplicaRemoval (denies dynamodb:DeleteTable) was removed",
                        "update-policy --policy-id " + policy + " --content file://build/scp/deny-delete-table.json"));
    }

    @Test
    void deletingAGuardrail_shouldAlertOnlyWhenGuardrailPoliciesNamesItsId() throws Exception {
        String policy = organizations.createScp(DENY_DELETE, shipped("deny-delete-table.json"));
        organizations.delete(policy);

        JsonNode byName = deliver("guardrails-delete-policy.json", policy, Map.of());
        JsonNode byId = deliver("guardrails-delete-policy.json", policy, Map.of("GUARDRAIL_POLICIES", "ddb-warden-," + policy));

        assertThat(byName.path("results")).isEmpty();
        assertThat(byId.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Subject").asText()).contains("guardrail deleted"));
    }

    @Test
    void disablingServiceControlPolicies_shouldAlertCritical() throws Exception {
        organizations.disableScps(root);

        JsonNode result = deliver("guardrails-disable-policy-type.json", LocalOrganizations.SAMPLE_POLICY_ID, Map.of());

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> assertThat(alert.path("Message").asText())
                .contains("enable-policy-type --root-id " + root + " --policy-type SERVICE_CONTROL_POLICY"));
    }
}
