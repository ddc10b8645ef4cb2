package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.SweepPage;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.dax.DaxRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the dax rule against moto_server on loopback, which models DAX clusters with their
 * SSESpecification and ClusterEndpointEncryptionType (DescribeClusters answers SSEDescription.Status and the type)
 * and IAM roles with inline and customer managed policies (checked with moto 5.2.1). The clusters are created in moto,
 * the samples in events/ delivered; DaxApi's DescribeClusters goes to moto through aws.endpointUrl as an SDK client's
 * would. moto checks no signature and evaluates no policy: IdentityActionsTest holds the policy reading; moto loads
 * AWS managed policies only when asked (MOTO_IAM_LOAD_MANAGED_POLICIES), so a customer managed one stands in here.
 */
class DaxIT {
    private static final DaxRule RULE = new DaxRule();
    private static final String ROLE = "dax-orders";
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/dax-orders";
    private final Harness harness = new Harness();
    private final LocalDax dax = new LocalDax();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(RULE, "iam:ListRolePolicies", "iam:GetRolePolicy", "sns:Publish", "dynamodb:PutItem");
    }

    @AfterEach
    void tearDown() {
        dax.close();
        harness.close();
    }

    private JsonNode deliver(String sample, Map<String, String> settings) throws Exception {
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(settings))), Project.event(sample));
    }

    @Test
    void aPlainTextCluster_shouldBeAlertedHighOnce_withTheReplacementSteps() throws Exception {
        // GIVEN orders-cache, made without encryption at rest and with a plain-text endpoint, and a read-only role
        dax.createCluster("us-east-1", "orders-cache", false, false, dax.createRole(ROLE, LocalDax.READ_ONLY));

        // WHEN its CreateCluster arrives, and again
        JsonNode first = deliver("dax-create-cluster-plaintext.json", Map.of());
        JsonNode again = deliver("dax-create-cluster-plaintext.json", Map.of());

        // THEN one HIGH alert on the cluster saying both, and how to replace it; nothing the second time
        assertThat(first.at("/results/0/table").asText()).isEqualTo("arn:aws:dax:us-east-1:123456789012:cache/orders-cache");
        assertThat(first.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(first.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).isEqualTo("[HIGH] ddb-warden dax: orders-cache (us-east-1) - DAX cluster in plain text");
            assertThat(alert.path("Message").asText()).contains("encryption at rest is off", "ClusterEndpointEncryptionType NONE",
                    "--sse-specification Enabled=true", "delete-cluster").doesNotContain("may write");
        });
        assertThat(harness.estate.ledgerItems()).hasSize(1);
    }

    @Test
    void anEncryptedClusterWithAReadOnlyRole_shouldBeLeftAlone() throws Exception {
        dax.createCluster("us-east-1", "orders-cache", true, true, dax.createRole(ROLE, LocalDax.READ_ONLY));

        JsonNode result = deliver("dax-create-cluster-encrypted.json", Map.of());

        assertThat(result.path("results")).isEmpty();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void aRoleThatMayWrite_shouldBeMedium_unlessDaxWriteRolesNamesIt() throws Exception {
        dax.createCluster("us-east-1", "orders-cache", true, true, dax.createRole(ROLE, LocalDax.WRITES));

        JsonNode alerted = deliver("dax-create-cluster-encrypted.json", Map.of());
        JsonNode allowed = deliver("dax-create-cluster-encrypted.json", Map.of("DAX_WRITE_ROLES", ROLE_ARN));

        assertThat(alerted.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(allowed.path("results")).isEmpty();
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains(ROLE_ARN, "dynamodb:PutItem, dynamodb:UpdateItem", "DaxWriteRoles"));
    }

    @Test
    void aWritePolicyPutOnAClustersRole_shouldBeMedium_namingTheCluster() throws Exception {
        // GIVEN orders-cache, encrypted, whose read-only role someone then gives the write-through policy of the sample
        dax.createCluster("us-east-1", "orders-cache", true, true, dax.createRole(ROLE, LocalDax.READ_ONLY));
        String written = Harness.JSON.readTree(Project.event("dax-put-role-policy.json")).at("/detail/requestParameters/policyDocument").asText();
        dax.iam().putRolePolicy(r -> r.roleName(ROLE).policyName("orders-write-through").policyDocument(written));

        JsonNode result = deliver("dax-put-role-policy.json", Map.of());

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(result.at("/results/0/table").asText()).isEqualTo(ROLE_ARN);
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("orders-cache (us-east-1", "orders-write-through",
                        "dynamodb:BatchWriteItem"));
    }

    @Test
    void aNewDefaultVersionOfAPolicyAttachedToAClustersRole_shouldBeMedium() throws Exception {
        dax.createCluster("us-east-1", "orders-cache", true, true, dax.createRole(ROLE, LocalDax.READ_ONLY));
        String policy = dax.iam().createPolicy(r -> r.policyName("dax-orders-read").policyDocument(LocalDax.READ_ONLY)).policy().arn();
        dax.iam().attachRolePolicy(r -> r.roleName(ROLE).policyArn(policy));
        dax.iam().createPolicyVersion(r -> r.policyArn(policy).policyDocument(LocalDax.WRITES).setAsDefault(true));

        JsonNode result = deliver("dax-create-policy-version.json", Map.of());

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("MEDIUM");
        assertThat(result.at("/results/0/table").asText()).isEqualTo(policy);
    }

    @Test
    void theSweep_shouldReportAPlainTextCluster_onceASweep() throws Exception {
        dax.createCluster("us-east-1", "orders-cache", false, true, dax.createRole(ROLE, LocalDax.READ_ONLY));
        dax.createCluster("us-east-1", "orders-tls", true, true, ROLE_ARN);
        harness.estate.createTable("orders", true);
        LocalSweep sweep = new LocalSweep(Services.create(harness.settings(Map.of())), 1);

        SweepPage page = sweep.sweeper().page("dax-sweep", LocalAws.ACCOUNT, "us-east-1", Optional.empty(), true, 0, budget());
        SweepPage next = sweep.sweeper().page("dax-sweep", LocalAws.ACCOUNT, "us-east-1", Optional.of("orders"), true, 0, budget());

        assertThat(page.results()).filteredOn(r -> r.rule().equals("dax")).filteredOn(r -> r.table().equals("arn:aws:dynamodb:us-east-1:123456789012:table/orders"))
                .singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("COMPLIANT"));
        assertThat(page.results()).filteredOn(r -> r.rule().equals("dax")).filteredOn(r -> r.table().startsWith("arn:aws:dax:")).singleElement().satisfies(r -> {
            assertThat(r.table()).isEqualTo("arn:aws:dax:us-east-1:123456789012:cache/orders-cache");
            assertThat(r.severity()).isEqualTo("HIGH");
        });
        assertThat(next.results()).filteredOn(r -> r.table().startsWith("arn:aws:dax:")).isEmpty();
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).filteredOn(a -> a.path("Subject").asText().contains("ddb-warden dax")).singleElement()
                .satisfies(alert -> assertThat(alert.path("Message").asText()).contains("found by the scheduled sweep",
                        "encryption at rest DISABLED, endpoint TLS, role " + ROLE_ARN));
    }

    private static TimeBudget budget() {
        return TimeBudget.of(Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(10));
    }
}
