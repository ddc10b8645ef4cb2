package dev.ddbwarden.rules.privatenetwork;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure check on the samples in events/, as EventBridge delivers them. */
class PrivateNetworkRuleTest {
    private static final Instant NOW = Instant.parse("2024-06-03T08:15:50Z");
    private static final String ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
    private static final String SECURITY = "arn:aws:iam::123456789012:role/security-responder";
    private static final String VPCE = "vpce-0a1b2c3d4e5f60718";
    private static final Map<String, String> TAGGED = Map.of(PrivateNetworkRule.TAG_KEY, VPCE);
    private static final Settings TRUSTING = settings(Map.of(EnvVar.APPROVED_PRINCIPALS, ADMIN,
            EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, SECURITY));

    private final PrivateNetworkRule rule = new PrivateNetworkRule();

    private static Settings settings(Map<String, String> values) {
        return Settings.from(values::get, Rules.settingNames());
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private static TableRef orders() {
        return new TableRef("aws", "us-east-1", "123456789012", "orders");
    }

    private static TableState live(Map<String, String> tags, Optional<String> held, Optional<String> policy) {
        TableRef table = orders();
        Hold.Held holds = held.map(v -> Hold.Held.NONE.with(new Hold(Hold.Kind.NETWORK, table.arn(), NOW.minusSeconds(600),
                Optional.empty(), Optional.of(v)))).orElse(Hold.Held.NONE);
        return new TableState(table, "ACTIVE", tags).withAugment(Hold.Held.class, holds)
                .withAugment(ResourcePolicies.class, new ResourcePolicies(
                        policy.map(p -> new ResourcePolicy(table.arn(), p, "1717402311502")), "", Optional.empty()));
    }

    private List<Finding> judge(String file, TableState state, Settings settings) throws IOException {
        ApiCall call = sample(file);
        return rule.evaluate(call, TableLocator.locate(call).orElseThrow(), Optional.of(state), settings, NOW);
    }

    private static JsonNode statementIn(String policy) throws IOException {
        for (JsonNode statement : JsonText.read(policy).path("Statement")) {
            if (NetworkStatement.SID.equals(statement.path("Sid").asText())) {
                return statement;
            }
        }
        throw new AssertionError("no " + NetworkStatement.SID + " in " + policy);
    }

    private static PrivateNetworkRemedy.Protect protect(Finding finding) {
        assertThat(finding.remedy()).isInstanceOf(PrivateNetworkRemedy.Protect.class);
        return (PrivateNetworkRemedy.Protect) finding.remedy();
    }

    @Test
    void tagSetByAnApprovedPrincipal_shouldBeRecorded_andTheStatementAdded_LOW() throws IOException {
        Finding finding = judge("private-network-tag-resource.json", live(TAGGED, Optional.empty(), Optional.empty()),
                TRUSTING).get(0);

        assertThat(finding.severity()).isEqualTo(Severity.LOW);
        PrivateNetworkRemedy.Protect protect = protect(finding);
        assertThat(protect.recordTag()).contains(VPCE);
        Remedy.PolicyCut cut = protect.cut().orElseThrow();
        assertThat(cut.revisionId()).isEqualTo(Remedy.PolicyCut.NO_POLICY);
        JsonNode statement = statementIn(cut.rewritten().orElseThrow());
        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.path("Condition").path("StringNotEqualsIfExists").path("aws:SourceVpce").get(0).asText())
                .isEqualTo(VPCE);
        assertThat(statement.path("Condition").path("ArnNotLike").path("aws:PrincipalArn").toString())
                .contains("role/ddb-warden/*", "role/aws-service-role/*", SECURITY,
                        "role/service-role/AWSBackupDefaultServiceRole");
        assertThat(statement.path("Condition").path("BoolIfExists").toString())
                .contains("\"aws:PrincipalIsAWSService\":\"false\"", "\"aws:ViaAWSService\":\"false\"");
    }

    @Test
    void tagSetByADeveloper_shouldBeIgnored_MEDIUM_alertOnly() throws IOException {
        Finding finding = judge("private-network-tag-resource-by-hand.json",
                live(TAGGED, Optional.empty(), Optional.empty()), TRUSTING).get(0);

        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.title()).isEqualTo("private network tag ignored");
        assertThat(finding.remedy()).isInstanceOf(Remedy.AlertOnly.class);
        assertThat(finding.detail()).contains("neither an approved principal");
    }

    @Test
    void unconfirmedActor_shouldNotOptTheTableIn_butTheSecurityRolesStaySpared() throws IOException {
        TableState state = live(TAGGED, Optional.empty(), Optional.empty());
        Settings unconfirmed = rule.unconfirmed(TRUSTING);

        assertThat(judge("private-network-tag-resource.json", state, unconfirmed)).singleElement()
                .satisfies(f -> assertThat(f.title()).isEqualTo("private network tag ignored"));
        assertThat(unconfirmed.quarantineExemptPrincipals()).containsExactly(SECURITY);
        assertThat(judge("private-network-delete-resource-policy.json", live(TAGGED, Optional.of(VPCE), Optional.empty()),
                unconfirmed)).isEqualTo(judge("private-network-delete-resource-policy.json",
                live(TAGGED, Optional.of(VPCE), Optional.empty()), TRUSTING));
    }

    @Test
    void deleteResourcePolicy_onAHeldPrivateTable_shouldPutTheStatementBack_HIGH() throws IOException {
        Finding finding = judge("private-network-delete-resource-policy.json",
                live(TAGGED, Optional.of(VPCE), Optional.empty()), TRUSTING).get(0);

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.detail()).contains("DeleteResourcePolicy", "assumed-role/developer/alice", VPCE);
        PrivateNetworkRemedy.Protect protect = protect(finding);
        assertThat(protect.recordTag()).isEmpty();
        assertThat(protect.cut().orElseThrow().revisionId()).isEqualTo(Remedy.PolicyCut.NO_POLICY);
    }

    @Test
    void putResourcePolicy_withoutTheStatement_shouldPutItBack_keepingTheOwnersStatements() throws IOException {
        ApiCall call = sample("private-network-put-resource-policy.json");
        Finding finding = judge("private-network-put-resource-policy.json",
                live(TAGGED, Optional.of(VPCE), Optional.of(call.request("policy"))), TRUSTING).get(0);

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        Remedy.PolicyCut cut = protect(finding).cut().orElseThrow();
        assertThat(cut.revisionId()).isEqualTo("1717402311502");
        assertThat(cut.rewritten().orElseThrow()).contains("\"AppRead\"", NetworkStatement.SID);
    }

    @Test
    void statementAsWritten_shouldBeCompliant_andAChangedOneReplaced() throws IOException {
        String written = NetworkStatement.addedTo(Optional.empty(),
                NetworkStatement.statement(orders(), List.of(VPCE), List.of(SECURITY)));
        assertThat(judge("private-network-put-resource-policy.json", live(TAGGED, Optional.of(VPCE), Optional.of(written)),
                TRUSTING)).isEmpty();

        String widened = written.replace(VPCE, "vpce-0fffffffffffffff0");
        Finding finding = judge("private-network-put-resource-policy.json",
                live(TAGGED, Optional.of(VPCE), Optional.of(widened)), TRUSTING).get(0);
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.detail()).contains("vpce-0fffffffffffffff0");
        assertThat(protect(finding).cut().orElseThrow().rewritten().orElseThrow()).doesNotContain("vpce-0fffffffffffffff0");
    }

    @Test
    void tagNeverRecorded_shouldNotMakeATablePrivate_onALaterPolicyChange() throws IOException {
        assertThat(judge("private-network-delete-resource-policy.json", live(TAGGED, Optional.empty(), Optional.empty()),
                TRUSTING)).isEmpty();
        assertThat(judge("private-network-delete-resource-policy.json",
                live(Map.of(PrivateNetworkRule.TAG_KEY, "vpce-0fffffffffffffff0"), Optional.of(VPCE), Optional.empty()),
                TRUSTING)).isEmpty();
    }

    @Test
    void privateTablesGlob_shouldAddTheStatementAtCreateTable_withAllowedVpcEndpoints() throws IOException {
        Map<String, String> values = new HashMap<>(Map.of("PRIVATE_TABLES", "ord*", "ALLOWED_VPC_ENDPOINTS",
                "vpce-11111111, vpce-0a1b2c3d4e5f60718"));
        ApiCall call = sample("create-table-unprotected.json");
        TableRef table = TableLocator.locate(call).orElseThrow();
        TableState state = new TableState(table, "ACTIVE", Map.of());
        Finding finding = rule.evaluate(call, table, Optional.of(state), settings(values), NOW).get(0);

        assertThat(finding.severity()).isEqualTo(Severity.LOW);
        assertThat(finding.detail()).contains("PrivateTables names it");
        assertThat(statementIn(protect(finding).cut().orElseThrow().rewritten().orElseThrow())
                .path("Condition").path("StringNotEqualsIfExists").path("aws:SourceVpce").toString())
                .isEqualTo("[\"vpce-0a1b2c3d4e5f60718\",\"vpce-11111111\"]");
        values.put("PRIVATE_TABLES", "audit-*");
        assertThat(rule.evaluate(call, table, Optional.of(state), settings(values), NOW)).isEmpty();
    }

    @Test
    void privateTablesWithoutEndpoints_orABadEndpoint_shouldBeRefused() {
        assertThatThrownBy(() -> rule.requireSettings(settings(Map.of("PRIVATE_TABLES", "orders")), () -> "us-east-1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ALLOWED_VPC_ENDPOINTS");
        assertThatThrownBy(() -> Rules.requireSettings(settings(Map.of("ALLOWED_VPC_ENDPOINTS", "vpc-123"))))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void sweep_shouldFindAPrivateTableWithoutTheStatement_HIGH() {
        ApiCall sweep = ApiCall.sweep("s-1", "us-east-1", "123456789012", "orders", NOW);
        Finding finding = rule.evaluate(sweep, orders(), Optional.of(live(TAGGED, Optional.of(VPCE), Optional.empty())),
                TRUSTING, NOW).get(0);

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.detail()).startsWith("The sweep found private table orders without");
        assertThat(protect(finding).cut()).isPresent();
        assertThat(rule.evaluate(sweep, orders(), Optional.of(live(Map.of(), Optional.empty(), Optional.empty())), TRUSTING, NOW))
                .isEmpty();
    }
}
