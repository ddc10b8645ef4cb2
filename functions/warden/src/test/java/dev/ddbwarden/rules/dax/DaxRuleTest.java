package dev.ddbwarden.rules.dax;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.SweptResources;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.policy.IdentityActions;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.CallReads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dax rule's decisions on the samples in events/, over in-memory clusters and role policies. */
class DaxRuleTest {
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/dax-orders";
    private static final String READ = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\"],\"Resource\":\"*\"}]}";
    private static final String WRITE = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}";
    private static final String POLICY = "arn:aws:iam::123456789012:policy/dax-orders-read";

    private final Map<String, List<DaxCluster>> clusters = new HashMap<>();
    private final Map<String, RolePolicies.Read> roles = new HashMap<>();
    private final List<String> described = new ArrayList<>();
    private final List<String> readRoles = new ArrayList<>();
    /** The accounts whose DAX and IAM were read. */
    private final List<String> accounts = new ArrayList<>();
    private final DaxRule rule = new DaxRule(account -> (region, name) -> {
        accounts.add(account);
        described.add(region);
        return clusters.getOrDefault(region, List.of()).stream().filter(c -> name.map(c.name()::equals).orElse(true)).toList();
    }, account -> name -> {
        accounts.add(account);
        readRoles.add(name);
        return Optional.ofNullable(roles.get(name));
    });

    /** As the pipeline decides: the rule's call augments read, then its pure decision. */
    private Optional<ResourceFinding> decide(ApiCall call, Settings settings) {
        return rule.evaluateResource(call, CallReads.read(rule.callAugments(), call, settings), settings);
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private static Settings settings(String... lines) {
        Map<String, String> env = new HashMap<>(Map.of("ALLOWED_REGIONS", "us-east-1,eu-west-1"));
        for (String line : lines) {
            env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        return Settings.from(env::get, Rules.settingNames());
    }

    private void cluster(String region, String name, String sse, String endpoint) {
        clusters.computeIfAbsent(region, r -> new ArrayList<>()).add(new DaxCluster(name, "arn:aws:dax:" + region
                + ":123456789012:cache/" + name, region, sse, endpoint, ROLE_ARN, "creating"));
    }

    private void role(String document, String... attached) {
        roleNamed("dax-orders", document, attached);
    }

    private void roleNamed(String name, String document, String... attached) {
        List<IdentityActions.Named> policies = new ArrayList<>(List.of(new IdentityActions.Named("inline", document)));
        for (String arn : attached) {
            policies.add(new IdentityActions.Named(arn, WRITE));
        }
        roles.put(name, new RolePolicies.Read(policies, List.of(attached)));
    }

    @Test
    void aClusterUnencryptedAtRestAndInTransit_shouldBeHigh_givingTheReplacement() throws IOException {
        cluster("us-east-1", "orders-cache", "DISABLED", "NONE");
        role(READ);

        ResourceFinding finding = decide(sample("dax-create-cluster-plaintext.json"), settings()).orElseThrow();

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.title()).isEqualTo("DAX cluster in plain text");
        assertThat(finding.resource().arn()).isEqualTo("arn:aws:dax:us-east-1:123456789012:cache/orders-cache");
        assertThat(finding.detail()).contains("encryption at rest is off (SSEDescription DISABLED)",
                "ClusterEndpointEncryptionType NONE", "assumed-role/developer/mallory").doesNotContain("service role");
        assertThat(finding.advice()).contains("aws dax create-cluster --region us-east-1 --cluster-name NEW_NAME",
                "--cluster-endpoint-encryption-type TLS", "aws dax delete-cluster --region us-east-1 --cluster-name orders-cache");
    }

    @Test
    void aMemberAccountsCluster_shouldBeReadInThatAccount_byItsEventAndByTheSweepOfThatAccount() throws IOException {
        cluster("us-east-1", "orders-cache", "DISABLED", "NONE");
        role(READ);
        String member = "222222222222";
        String record = Files.readString(Path.of("../../events", "dax-create-cluster-plaintext.json")).replace("123456789012", member);

        Optional<ResourceFinding> finding = decide(TestEvents.call(TestEvents.tree(record)), settings());
        List<ResourceFinding> swept = rule.sweepResources(member, "us-east-1", settings()).found();

        assertThat(finding).isPresent();
        assertThat(swept).singleElement().satisfies(f -> assertThat(f.resource().name()).isEqualTo("orders-cache"));
        assertThat(accounts).as("the cluster's and its role's reads, all in the member").containsOnly(member).hasSize(4);
    }

    @Test
    void anEncryptedClusterWithAReadOnlyRole_shouldBeCompliant() throws IOException {
        cluster("us-east-1", "orders-cache", "ENABLING", "TLS");
        role(READ);

        assertThat(decide(sample("dax-create-cluster-encrypted.json"), settings())).isEmpty();
    }

    @Test
    void aClusterOutsideAllowedRegions_shouldBeHigh_evenEncrypted() throws IOException {
        cluster("ap-southeast-2", "orders-cache-apse2", "ENABLED", "TLS");
        role(READ);

        ResourceFinding finding = decide(sample("dax-create-cluster-forbidden-region.json"), settings()).orElseThrow();

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.title()).isEqualTo("DAX cluster outside the allowed regions");
        assertThat(finding.detail()).contains("in ap-southeast-2, outside AllowedRegions (us-east-1, eu-west-1)");
    }

    @Test
    void aRoleThatMayWrite_shouldBeMedium_unlessDaxWriteRolesNamesIt_andPlainTextIsNeverWaived() throws IOException {
        cluster("us-east-1", "orders-cache", "ENABLED", "TLS");
        role(WRITE);

        ResourceFinding finding = decide(sample("dax-create-cluster-encrypted.json"), settings()).orElseThrow();
        Optional<ResourceFinding> named = decide(sample("dax-create-cluster-encrypted.json"),
                settings("DAX_WRITE_ROLES=" + ROLE_ARN));

        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.detail()).contains("its service role " + ROLE_ARN + " may write to DynamoDB through the cache",
                "dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:BatchWriteItem", "granted by inline");
        assertThat(finding.advice()).contains("DaxWriteRoles");
        assertThat(named).isEmpty();
    }

    @Test
    void aRoleAllowedAWriteTheHandTypedListLacked_shouldBeMedium() throws IOException {
        cluster("us-east-1", "orders-cache", "ENABLED", "TLS");
        role("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:WriteDataForReplication\","
                + "\"dynamodb:UpdateAbacStatus\"],\"Resource\":\"*\"}]}");

        ResourceFinding finding = decide(sample("dax-create-cluster-encrypted.json"), settings()).orElseThrow();

        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.detail()).contains("(dynamodb:WriteDataForReplication, dynamodb:UpdateAbacStatus, granted by inline)");
    }

    @Test
    void aClusterAlreadyGone_shouldAlertNothing() throws IOException {
        assertThat(decide(sample("dax-create-cluster-plaintext.json"), settings())).isEmpty();
    }

    @Test
    void aRolePolicyChange_shouldLookInTheCoveredRegions_andNameTheClustersUsingTheRole() throws IOException {
        cluster("us-east-1", "orders-cache", "ENABLED", "TLS");
        cluster("eu-west-1", "orders-cache-eu", "ENABLED", "TLS");
        clusters.get("eu-west-1").add(new DaxCluster("other", "arn:aws:dax:eu-west-1:123456789012:cache/other", "eu-west-1",
                "ENABLED", "TLS", "arn:aws:iam::123456789012:role/other", "available"));
        role(WRITE);

        ResourceFinding finding = decide(sample("dax-put-role-policy.json"), settings()).orElseThrow();

        assertThat(described).containsExactly("us-east-1", "eu-west-1");
        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.resource().arn()).isEqualTo(ROLE_ARN);
        assertThat(finding.detail()).contains("orders-cache (us-east-1", "orders-cache-eu (eu-west-1").doesNotContain("other (");
    }

    @Test
    void aRoleNoClusterUses_orOneStillReadOnly_shouldAlertNothing() throws IOException {
        role(WRITE);
        assertThat(decide(sample("dax-attach-role-policy.json"), settings())).isEmpty();

        cluster("us-east-1", "orders-cache", "ENABLED", "TLS");
        role(READ);
        assertThat(decide(sample("dax-attach-role-policy.json"), settings())).isEmpty();
    }

    @Test
    void aPolicyVersion_shouldCountOnlyForRolesItIsAttachedTo() throws IOException {
        cluster("us-east-1", "orders-cache", "ENABLED", "TLS");
        role(READ, "arn:aws:iam::123456789012:policy/another");
        assertThat(decide(sample("dax-set-default-policy-version.json"), settings())).isEmpty();

        role(READ, POLICY);
        ResourceFinding finding = decide(sample("dax-set-default-policy-version.json"), settings()).orElseThrow();

        assertThat(finding.resource().arn()).isEqualTo(POLICY);
        assertThat(finding.resource().kind()).isEqualTo("IAM managed policy");
        assertThat(finding.detail()).contains("granted by " + POLICY);
    }

    @Test
    void aPolicyVersionSharedByTwoDaxRoles_shouldNameBothRolesAndTheirClusters_inOneAlertOnThePolicy() throws IOException {
        cluster("us-east-1", "orders-cache", "ENABLED", "TLS");
        clusters.get("us-east-1").add(new DaxCluster("carts-cache", "arn:aws:dax:us-east-1:123456789012:cache/carts-cache",
                "us-east-1", "ENABLED", "TLS", "arn:aws:iam::123456789012:role/dax-carts", "available"));
        clusters.get("us-east-1").add(new DaxCluster("other", "arn:aws:dax:us-east-1:123456789012:cache/other",
                "us-east-1", "ENABLED", "TLS", "arn:aws:iam::123456789012:role/dax-other", "available"));
        role(READ, POLICY);
        roleNamed("dax-carts", READ, POLICY);
        roleNamed("dax-other", READ);

        ResourceFinding finding = decide(sample("dax-set-default-policy-version.json"), settings()).orElseThrow();

        assertThat(finding.resource().arn()).isEqualTo(POLICY);
        assertThat(finding.detail()).contains("2 roles of DAX clusters may now write", ROLE_ARN + ", the service role of DAX"
                + " cluster(s) orders-cache (", "arn:aws:iam::123456789012:role/dax-carts, the service role of DAX cluster(s)"
                + " carts-cache (").doesNotContain("dax-other");
    }

    @Test
    void onTheRecordAlone_asARuleThatIsOffIsDecided_shouldReadNothing() throws IOException {
        cluster("us-east-1", "orders-cache", "DISABLED", "NONE");
        role(WRITE, POLICY);

        for (String file : List.of("dax-create-cluster-plaintext.json", "dax-put-role-policy.json",
                "dax-attach-role-policy.json", "dax-set-default-policy-version.json")) {
            assertThat(rule.evaluateResource(sample(file), CallReads.none(), settings())).as(file).isEmpty();
        }
        assertThat(described).isEmpty();
        assertThat(readRoles).isEmpty();
    }

    @Test
    void aForgedRecord_shouldLookNothingUp() throws IOException {
        var event = TestEvents.tree(Files.readString(Path.of("../../events", "dax-create-cluster-plaintext.json")));
        TestEvents.request(event).put("clusterName", "orders-cache\nFORGED");
        cluster("us-east-1", "orders-cache", "DISABLED", "NONE");

        assertThat(decide(TestEvents.call(event), settings())).isEmpty();
        assertThat(described).isEmpty();
    }

    @Test
    void theSweep_shouldReportEachClusterItWouldAlertOn_andNameTheOthersCompliant() {
        cluster("us-east-1", "orders-cache", "DISABLED", "TLS");
        cluster("us-east-1", "orders-tls", "ENABLED", "TLS");
        role(READ);

        SweptResources swept = rule.sweepResources("123456789012", "us-east-1", settings());
        List<ResourceFinding> found = swept.found();

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.resource().name()).isEqualTo("orders-cache");
            assertThat(f.detail()).contains("found by the scheduled sweep", "encryption at rest DISABLED, endpoint TLS");
        });
        assertThat(swept.compliant()).singleElement().satisfies(cluster -> {
            assertThat(cluster.arn()).isEqualTo("arn:aws:dax:us-east-1:123456789012:cache/orders-tls");
            assertThat(cluster.kind()).isEqualTo("DAX cluster");
            assertThat(cluster.accountId()).isEqualTo("123456789012");
        });
    }

    @Test
    void daxWriteRoles_shouldTakeExactRoleArnsOnly() {
        assertThat(DaxWriteRoles.parse(" " + ROLE_ARN + " ,").allows(ROLE_ARN)).isTrue();
        assertThat(DaxWriteRoles.parse(ROLE_ARN).allows("arn:aws:iam::123456789012:role/dax-orders")).isFalse();
        assertThatThrownBy(() -> DaxWriteRoles.parse("arn:aws:iam::123456789012:role/*"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DAX_WRITE_ROLES");
        assertThatThrownBy(() -> DaxWriteRoles.parse("arn:aws:iam::123456789012:user/alice")).isInstanceOf(ConfigException.class);
    }

    @Test
    void theSweepsPassOverATable_shouldAnswerForIt_andFindNothing() {
        ApiCall sweep = ApiCall.sweep("s1", "us-east-1", "123456789012", "orders", java.time.Instant.EPOCH);

        assertThat(rule.subjects(sweep)).extracting(dev.ddbwarden.event.TableRef::name).containsExactly("orders");
        assertThat(rule.evaluate(sweep, rule.subjects(sweep).get(0), Optional.empty(), settings(), java.time.Instant.EPOCH)).isEmpty();
        assertThat(described).isEmpty();
    }
}
