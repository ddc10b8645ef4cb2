package dev.ddbwarden.rules.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.state.CallReads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guardrails rule's decisions on the samples in events/, with DescribePolicy's answer stubbed (GuardrailsIT asks
 * moto_server): which policy changes are ddb-warden's business, and what each alert says.
 */
class GuardrailsRuleTest {
    private static final Settings DEFAULTS = Settings.from(name -> null);
    private static final String ID = "p-ddbw0delete";
    private static final String SHIPPED = Files.exists(Path.of("../../scp/deny-delete-table.json")) ? read("../../scp/deny-delete-table.json") : "";

    private final List<String> described = new ArrayList<>();
    /** The accounts AWS Organizations was asked in. */
    private final List<String> accounts = new ArrayList<>();

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call((ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private GuardrailsRule answering(PolicyRead answer) {
        return new GuardrailsRule(account -> (policyId, region) -> {
            accounts.add(account);
            described.add(policyId + "@" + region);
            return answer;
        }, ShippedPolicies::load);
    }

    /** As the pipeline decides: the rule's call augments read, then its pure decision. */
    private static Optional<ResourceFinding> decide(GuardrailsRule rule, ApiCall call, Settings settings) {
        return rule.evaluateResource(call, CallReads.read(rule.callAugments(), call, settings), settings);
    }

    private static PolicyRead.Found policy(String name, String type, String content) {
        return new PolicyRead.Found(ID, "arn:aws:organizations::123456789012:policy/o-exampleorg1/service_control_policy/" + ID,
                name, type, false, content);
    }

    private static Settings guarding(String value) {
        return Settings.from(name -> GuardedPolicies.SETTING.equals(name) ? value : null, List.of(GuardedPolicies.SETTING));
    }

    @Test
    void aCallRecordedInAnotherAccount_shouldReadThePolicyWithThatAccountsCredentials() throws IOException {
        String management = "222222222222";
        GuardrailsRule rule = answering(policy("ddb-warden-deny-delete-table", "SERVICE_CONTROL_POLICY", SHIPPED));
        String record = Files.readString(Path.of("../../events", "guardrails-detach-policy.json")).replace("123456789012", management);

        Optional<ResourceFinding> finding = decide(rule, TestEvents.call((ObjectNode) TestEvents.tree(record)), DEFAULTS);

        assertThat(finding).isPresent();
        assertThat(accounts).containsExactly(management);
    }

    @Test
    void detachOfAShippedScp_shouldAlertCRITICAL_withTheActorTheTargetTheStatementsAndTheCommandToAttachItAgain() throws IOException {
        // GIVEN the deny-delete-table SCP, created as scp/README.md says, detached from an OU
        GuardrailsRule rule = answering(policy("ddb-warden-deny-delete-table", "SERVICE_CONTROL_POLICY", SHIPPED));

        // WHEN
        Optional<ResourceFinding> finding = decide(rule, sample("guardrails-detach-policy.json"), DEFAULTS);

        // THEN one read of the policy the record names, in the region it was recorded in, and a CRITICAL alert
        assertThat(described).containsExactly(ID + "@us-east-1");
        assertThat(finding).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.rule()).isEqualTo("guardrails");
            assertThat(f.resource().arn()).isEqualTo("organizations policy " + ID + " at ou-ab12-cdef3456");
            assertThat(f.detail()).contains("ddb-warden-deny-delete-table (" + ID + ")", "the OU ou-ab12-cdef3456",
                    "assumed-role/org-admin/mallory", "scp/deny-delete-table.json",
                    "DenyDeleteTableExceptSecurityAndReplicaRemoval (denies dynamodb:DeleteTable)",
                    "DenyReplicaRemovalInAllowedRegions", "None of them applies to ou-ab12-cdef3456 any more");
            assertThat(f.advice()).contains("aws organizations attach-policy --policy-id " + ID
                    + " --target-id ou-ab12-cdef3456 --region us-east-1");
        });
    }

    @Test
    void detachOfAnotherScp_shouldBeNothing_whateverItsContent() throws IOException {
        GuardrailsRule rule = answering(policy("deny-leaving-the-organization", "SERVICE_CONTROL_POLICY",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyLeave\",\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}"));

        assertThat(decide(rule, sample("guardrails-detach-policy.json"), DEFAULTS)).isEmpty();
    }

    @Test
    void detachOfARenamedGuardrail_shouldStillAlert_byTheShippedStatementsItHolds() throws IOException {
        GuardrailsRule rule = answering(policy("legacy-scp-7", "SERVICE_CONTROL_POLICY", SHIPPED));

        assertThat(decide(rule, sample("guardrails-detach-policy.json"), DEFAULTS))
                .hasValueSatisfying(f -> assertThat(f.detail()).contains("scp/deny-delete-table.json"));
    }

    @Test
    void detachOfATagPolicyNamedLikeAGuardrail_shouldBeNothing_unlessItsIdIsGuarded() throws IOException {
        GuardrailsRule rule = answering(policy("ddb-warden-tags", "TAG_POLICY", "{\"tags\":{}}"));

        assertThat(decide(rule, sample("guardrails-detach-policy.json"), DEFAULTS)).isEmpty();
        assertThat(decide(rule, sample("guardrails-detach-policy.json"), guarding(ID)))
                .hasValueSatisfying(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void detachOfAPolicyAlreadyGone_shouldFailClosed_HIGH_sayingWhy() throws IOException {
        GuardrailsRule rule = answering(new PolicyRead.Gone("HTTP 400 PolicyNotFoundException"));

        assertThat(decide(rule, sample("guardrails-detach-policy.json"), DEFAULTS)).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("already deleted", "PolicyNotFoundException", "GuardrailPolicies");
        });
    }

    @Test
    void detachWhileDescribePolicyIsRefused_shouldFailClosed_HIGH() throws IOException {
        GuardrailsRule rule = answering(new PolicyRead.Unreadable("HTTP 400 AccessDeniedException"));

        assertThat(decide(rule, sample("guardrails-detach-policy.json"), DEFAULTS)).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("did not describe it", "AccessDeniedException");
        });
    }

    @Test
    void deleteOfAPolicyGone_shouldBeNothing_unlessGuardrailPoliciesNamesItsId() throws IOException {
        // GIVEN a deleted policy, which DescribePolicy no longer finds
        GuardrailsRule rule = answering(new PolicyRead.Gone("HTTP 400 PolicyNotFoundException"));
        ApiCall call = sample("guardrails-delete-policy.json");

        // THEN by name nothing can be told, and its detachments were judged when they were made; by ID it is CRITICAL
        assertThat(decide(rule, call, DEFAULTS)).isEmpty();
        assertThat(decide(rule, call, guarding("ddb-warden-," + ID))).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.title()).isEqualTo("guardrail deleted");
            assertThat(f.advice()).contains("create-policy --type SERVICE_CONTROL_POLICY");
        });
    }

    @Test
    void updateRemovingAStatement_shouldAlertCRITICAL_namingTheStatementGone_andTheCommandToPutItBack() throws IOException {
        // GIVEN the sample's UpdatePolicy, after which the policy holds only DenyReplicaRemovalInAllowedRegions
        ApiCall call = sample("guardrails-update-policy.json");
        GuardrailsRule rule = answering(policy("ddb-warden-deny-delete-table", "SERVICE_CONTROL_POLICY", call.request("content")));

        assertThat(decide(rule, call, DEFAULTS)).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.detail()).contains("statement DenyDeleteTableExceptSecurityAndReplicaRemoval (denies"
                    + " dynamodb:DeleteTable) was removed").doesNotContain("statement DenyReplicaRemovalInAllowedRegions");
            assertThat(f.advice()).contains("update-policy --policy-id " + ID + " --content file://build/scp/deny-delete-table.json");
        });
    }

    @Test
    void updateNarrowingActions_shouldNameTheActionsNoLongerDenied() throws IOException {
        String narrowed = SHIPPED.replace("\"dynamodb:DescribeTable\"", "\"x\"")
                .replaceFirst("\"Action\": \"dynamodb:DeleteTable\"", "\"Action\": \"dynamodb:DeleteBackup\"");
        ApiCall call = sample("guardrails-update-policy.json");

        assertThat(ShippedPolicies.weakened(ShippedPolicies.load().all().get("deny-delete-table"), narrowed))
                .containsExactly("statement DenyDeleteTableExceptSecurityAndReplicaRemoval no longer denies dynamodb:DeleteTable");
        assertThat(ShippedPolicies.weakened(ShippedPolicies.load().all().get("deny-delete-table"),
                SHIPPED.replace("\"dynamodb:DeleteTable\"", "\"dynamodb:*\""))).isEmpty();
        assertThat(call.eventName()).isEqualTo("UpdatePolicy");
    }

    @Test
    void updateOfTheDescriptionAlone_shouldBeNothing() throws IOException {
        GuardrailsRule rule = answering(policy("ddb-warden-deny-delete-table", "SERVICE_CONTROL_POLICY", SHIPPED));

        assertThat(decide(rule, sample("guardrails-update-policy-description.json"), DEFAULTS)).isEmpty();
    }

    @Test
    void renameAndContentReplacedInOneCall_shouldAlertHigh_sayingWhatCannotBeTold_unlessOnlyIdsAreGuarded() throws IOException {
        // GIVEN one UpdatePolicy giving a policy a new name and content that hold nothing of ddb-warden's
        String foreign = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Sandbox\",\"Effect\":\"Deny\","
                + "\"Action\":\"ec2:RunInstances\",\"Resource\":\"*\"}]}";
        ObjectNode event = (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events/guardrails-update-policy.json")));
        ((ObjectNode) event.path("detail").path("requestParameters")).put("name", "team-sandbox").put("content", foreign);
        GuardrailsRule rule = answering(policy("team-sandbox", "SERVICE_CONTROL_POLICY", foreign));

        // WHEN it is judged under the default prefix, and under GuardrailPolicies naming IDs only
        Optional<ResourceFinding> byPrefix = decide(rule, TestEvents.call(event), DEFAULTS);
        Optional<ResourceFinding> byIdOnly = decide(rule, TestEvents.call(event), guarding("p-0therp0licy"));

        // THEN the first cannot tell whether it was a guardrail, and says so; IDs alone settle it
        assertThat(byPrefix).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo("policy renamed and rewritten");
            assertThat(f.detail()).contains("team-sandbox (" + ID + ")", "renamed and its whole content replaced in one call",
                    "assumed-role/org-admin/mallory", "GuardrailPolicies");
            assertThat(f.advice()).contains("lookup-events", "update-policy --policy-id " + ID);
        });
        assertThat(byIdOnly).isEmpty();
    }

    @Test
    void renameOutOfThePrefix_shouldAlert_andAskForTheId() throws IOException {
        ObjectNode event = (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events/guardrails-update-policy-description.json")));
        ((ObjectNode) event.path("detail").path("requestParameters")).put("name", "innocent-looking");
        GuardrailsRule rule = answering(policy("innocent-looking", "SERVICE_CONTROL_POLICY", SHIPPED));

        assertThat(decide(rule, TestEvents.call(event), DEFAULTS)).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.detail()).contains("Its name is now innocent-looking", "give GuardrailPolicies its ID (" + ID + ")");
        });
    }

    @Test
    void disableServiceControlPolicies_shouldAlertCRITICAL_withoutARead_andTheCommandsToRestore() throws IOException {
        GuardrailsRule rule = answering(new PolicyRead.Unreadable("never asked"));

        assertThat(decide(rule, sample("guardrails-disable-policy-type.json"), DEFAULTS)).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.detail()).contains("whole organization (root r-ab12)", "scp/deny-delete-table.json",
                    "scp/protect-ddb-warden.json");
            assertThat(f.advice()).contains("aws organizations enable-policy-type --root-id r-ab12 --policy-type"
                    + " SERVICE_CONTROL_POLICY", "attach-policy");
        });
        assertThat(described).isEmpty();
    }

    @Test
    void disableOfAnotherPolicyType_shouldBeNothing() throws IOException {
        assertThat(decide(answering(new PolicyRead.Unreadable("never asked")),
                sample("guardrails-disable-policy-type-tag.json"), DEFAULTS)).isEmpty();
        assertThat(described).isEmpty();
    }

    @Test
    void aRecordWithoutAValidPolicyId_shouldBeNothing_andReadNothing() throws IOException {
        ObjectNode event = (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events/guardrails-detach-policy.json")));
        ((ObjectNode) event.path("detail").path("requestParameters")).put("policyId", "p-\"}{");

        assertThat(decide(answering(policy("ddb-warden-x", "SERVICE_CONTROL_POLICY", SHIPPED)), TestEvents.call(event), DEFAULTS)).isEmpty();
        assertThat(described).isEmpty();
    }

    @Test
    void detachOfAnAwsManagedPolicy_shouldReadNothing_andBeNothing() throws IOException {
        ObjectNode event = (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events/guardrails-detach-policy.json")));
        ((ObjectNode) event.path("detail").path("requestParameters")).put("policyId", "p-FullAWSAccess");

        assertThat(decide(answering(new PolicyRead.Unreadable("refused")), TestEvents.call(event), DEFAULTS)).isEmpty();
        assertThat(described).isEmpty();
    }

    @Test
    void theSweep_shouldReadNoPolicy_andFindNothingOnATable() {
        GuardrailsRule rule = answering(new PolicyRead.Unreadable("never asked"));
        ApiCall sweep = ApiCall.sweep("s1", "us-east-1", "123456789012", "orders", java.time.Instant.EPOCH);

        assertThat(rule.subjects(sweep)).hasSize(1);
        assertThat(decide(rule, sweep, DEFAULTS)).isEmpty();
        assertThat(described).isEmpty();
    }

    @Test
    void onTheRecordAlone_asARuleThatIsOffIsDecided_shouldReadNothing() throws IOException {
        GuardrailsRule rule = answering(policy("ddb-warden-deny-delete-table", "SERVICE_CONTROL_POLICY", SHIPPED));

        for (String file : List.of("guardrails-detach-policy.json", "guardrails-delete-policy.json",
                "guardrails-update-policy.json")) {
            assertThat(rule.evaluateResource(sample(file), CallReads.none(), DEFAULTS)).as(file).isEmpty();
        }

        assertThat(described).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"p-short", "p-ddbw0delete,p-", " , ", "has space", "a,b,c\u0000"})
    void guardrailPolicies_shouldRefuseWhatIsNeitherAnIdNorAPrefix(String value) {
        assertThatThrownBy(() -> GuardedPolicies.parse(value)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(GuardedPolicies.SETTING);
    }

    @Test
    void guardrailPolicies_shouldTellIdsFromPrefixes() {
        GuardedPolicies parsed = GuardedPolicies.parse(" p-ddbw0delete , acme-guard- ");

        assertThat(parsed.ids()).containsExactly(ID);
        assertThat(parsed.prefixes()).containsExactly("acme-guard-");
        assertThat(GuardrailsRule.GUARDRAIL_POLICIES.in(DEFAULTS)).isEqualTo(GuardedPolicies.DEFAULT);
    }
}
