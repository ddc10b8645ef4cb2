package dev.ddbwarden.rules.publicaccess;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.createTableWithPolicy;
import static dev.ddbwarden.TestEvents.eventBy;
import static dev.ddbwarden.TestEvents.exportTo;
import static dev.ddbwarden.TestEvents.putResourcePolicy;
import static dev.ddbwarden.TestEvents.refused;
import static dev.ddbwarden.TestPolicies.EVERYONE;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.PARTNER;
import static dev.ddbwarden.TestPolicies.STRANGER;
import static dev.ddbwarden.TestPolicies.STREAM_TO_EVERYONE;
import static dev.ddbwarden.TestPolicies.STREAM_TO_STRANGER;
import static dev.ddbwarden.TestPolicies.TRUSTED_ORG_ONLY;
import static dev.ddbwarden.TestPolicies.TRUSTING;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

/** The public-access rule as a pure decision on a call and the policies read live; no client, no I/O. */
class PublicAccessRuleTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:05Z");
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final String STREAM = ORDERS.arn() + "/stream/2024-05-01T12:00:00.000";
    private static final String WARDEN_ROLE = "arn:aws:iam::123456789012:role/ddb-warden/PublicAccessRole";

    private final PublicAccessRule check = new PublicAccessRule();

    /** The table read live with these policies (null for none), at revisions t-1 and s-1. */
    private static Optional<TableState> live(String tablePolicy, String streamPolicy) {
        return Optional.of(new TableState(ORDERS, "ACTIVE", Map.of()).withAugment(ResourcePolicies.class, new ResourcePolicies(
                Optional.ofNullable(tablePolicy).map(p -> new ResourcePolicy(ORDERS.arn(), p, "t-1")), STREAM,
                Optional.ofNullable(streamPolicy).map(p -> new ResourcePolicy(STREAM, p, "s-1")))));
    }

    private List<Finding> evaluate(ObjectNode event, Optional<TableState> state) {
        return check.evaluate(TestEvents.call(event), ORDERS, state, TRUSTING, NOW);
    }

    private List<Finding> afterPut(String tablePolicy, String streamPolicy) {
        return evaluate(putResourcePolicy(ORDERS.arn(), String.valueOf(tablePolicy), "t-1"), live(tablePolicy, streamPolicy));
    }

    private static List<Remedy.PolicyCut> cuts(Finding finding) {
        assertThat(finding.remedy()).isInstanceOf(PublicAccessRemedy.RemovePolicyStatements.class);
        return ((PublicAccessRemedy.RemovePolicyStatements) finding.remedy()).cuts();
    }

    @Test
    void evaluate_shouldCutOnlyThePublicStatementAsCritical_whenPolicyAlsoGrantsOwnAccount() {
        // WHEN
        List<Finding> findings = afterPut(policy(OWN_ROLE, EVERYONE), null);

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("public-access");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.title()).isEqualTo("resource policy open to everyone");
            assertThat(cuts(f)).containsExactly(new Remedy.PolicyCut(ORDERS.arn(), "t-1",
                    Optional.of(policy(OWN_ROLE)), List.of(EVERYONE)));
            assertThat(f.detail()).contains(EVERYONE).doesNotContain(OWN_ROLE);
        });
    }

    @Test
    void evaluate_shouldCutTheStrangerAsHighAndKeepThePartner_whenPolicyGrantsAnUntrustedAccount() {
        List<Finding> findings = afterPut(policy(PARTNER, STRANGER), null);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo("resource policy open to an untrusted account");
            assertThat(cuts(f)).containsExactly(new Remedy.PolicyCut(ORDERS.arn(), "t-1",
                    Optional.of(policy(PARTNER)), List.of(STRANGER)));
            assertThat(f.detail()).contains(STRANGER);
        });
    }

    @Test
    void evaluate_shouldFindNothing_whenEveryoneIsLimitedToTheTrustedOrganization() {
        assertThat(afterPut(policy(TRUSTED_ORG_ONLY), null)).isEmpty();
    }

    @Test
    void evaluate_shouldCutOnlyTheStreamPolicy_whenOnlyTheStreamLeaks() {
        List<Finding> findings = afterPut(policy(OWN_ROLE), policy(OWN_ROLE, STREAM_TO_STRANGER));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(cuts(f)).containsExactly(new Remedy.PolicyCut(STREAM, "s-1",
                    Optional.of(policy(OWN_ROLE)), List.of(STREAM_TO_STRANGER)));
            assertThat(f.detail()).contains(STREAM_TO_STRANGER);
        });
    }

    @Test
    void evaluate_shouldCutBothPoliciesAtTheWorseSeverity_whenTableAndStreamLeak() {
        // GIVEN the table open to a stranger (HIGH alone) and the stream to everyone (CRITICAL alone)
        List<Finding> findings = afterPut(policy(STRANGER, PARTNER), policy(STREAM_TO_EVERYONE, OWN_ROLE));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(cuts(f)).containsExactly(
                    new Remedy.PolicyCut(ORDERS.arn(), "t-1", Optional.of(policy(PARTNER)), List.of(STRANGER)),
                    new Remedy.PolicyCut(STREAM, "s-1", Optional.of(policy(OWN_ROLE)), List.of(STREAM_TO_EVERYONE)));
            assertThat(f.detail()).contains(STRANGER).contains(STREAM_TO_EVERYONE);
        });
    }

    @Test
    void evaluate_shouldAskToDeleteThePolicy_whenItsOnlyStatementLeaks() {
        List<Finding> findings = afterPut(policy(EVERYONE), null);

        assertThat(findings).singleElement().satisfies(f -> assertThat(cuts(f)).containsExactly(
                new Remedy.PolicyCut(ORDERS.arn(), "t-1", Optional.empty(), List.of(EVERYONE))));
    }

    @Test
    void evaluate_shouldFindNothing_whenTableNoLongerExists() {
        assertThat(evaluate(putResourcePolicy(ORDERS.arn(), policy(EVERYONE), "t-1"), Optional.empty())).isEmpty();
    }

    @Test
    void evaluate_shouldReportHighAndChangeNothing_whenARefusedPolicyWouldHaveOpenedTheTable() {
        // GIVEN a refused attempt; the live policy is clean
        ObjectNode event = refused(putResourcePolicy(ORDERS.arn(), policy(EVERYONE), null), "PolicyNotAllowedException");

        // WHEN
        List<Finding> findings = evaluate(event, live(policy(OWN_ROLE), null));

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo("refused attempt to open table");
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains("PolicyNotAllowedException").contains(TestEvents.DEVELOPER_ROLE)
                    .contains(EVERYONE);
        });
    }

    @Test
    void evaluate_shouldReportMedium_whenARefusedPolicyWasHarmless() {
        ObjectNode event = refused(putResourcePolicy(ORDERS.arn(), policy(OWN_ROLE), null), "AccessDeniedException");

        assertThat(evaluate(event, live(null, null))).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.title()).isEqualTo("refused policy change");
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
        });
    }

    @Test
    void evaluate_shouldFindNothing_whenTheRefusedWriteWasDdbWardensOwn() {
        ObjectNode event = refused(putResourcePolicy(ORDERS.arn(), policy(OWN_ROLE), null), "PolicyNotFoundException");
        TestEvents.detail(event).set("userIdentity", TestEvents.assumedRole(WARDEN_ROLE, "warden"));

        assertThat(evaluate(event, live(policy(OWN_ROLE, EVERYONE), null))).isEmpty();
    }

    @Test
    void evaluate_shouldReportRefusedAttempt_whenADdbWardenPathRoleOfAnotherAccountMadeIt() {
        ObjectNode event = refused(putResourcePolicy(ORDERS.arn(), policy(EVERYONE), null), "AccessDeniedException");
        TestEvents.detail(event).set("userIdentity",
                TestEvents.assumedRole("arn:aws:iam::999988887777:role/ddb-warden/PublicAccessRole", "x"));

        assertThat(evaluate(event, live(null, null))).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.HIGH));
    }

    @Test
    void evaluate_shouldReportHighNamingBucketOwnerAndActor_whenExportGoesToAnUntrustedAccount() {
        List<Finding> findings = evaluate(exportTo("orders", "exfil-bucket", "999988887777"), live(null, null));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo("export to an untrusted account");
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains("exfil-bucket").contains("999988887777")
                    .contains("arn:aws:sts::123456789012:assumed-role/Developer/alice");
            assertThat(f.remedy().manualStep(ORDERS)).contains("s3://exfil-bucket/exports/orders/");
        });
    }

    @ParameterizedTest(name = "bucket owner {0}")
    @NullSource
    @ValueSource(strings = {"123456789012", "444455556666"})
    void evaluate_shouldFindNothing_whenExportStaysWithTrustedAccountsOrNamesNoOwner(String owner) {
        assertThat(evaluate(exportTo("orders", "orders-backups", owner), live(null, null))).isEmpty();
    }

    @Test
    void isCurrent_shouldBeTrue_whenLiveRevisionIsTheOneThePutProduced() {
        assertThat(check.isCurrent(TestEvents.call(putResourcePolicy(ORDERS.arn(), policy(EVERYONE), "t-1")),
                live(policy(EVERYONE), null).orElseThrow())).isTrue();
    }

    @Test
    void isCurrent_shouldBeFalse_whenLiveRevisionIsAnother() {
        assertThat(check.isCurrent(TestEvents.call(putResourcePolicy(ORDERS.arn(), policy(EVERYONE), "t-2")),
                live(policy(OWN_ROLE), null).orElseThrow())).isFalse();
    }

    @Test
    void isCurrent_shouldBeFalse_whenNoPolicyCanBeReadYet() {
        assertThat(check.isCurrent(TestEvents.call(putResourcePolicy(ORDERS.arn(), policy(EVERYONE), "t-1")),
                live(null, null).orElseThrow())).isFalse();
    }

    @Test
    void isCurrent_shouldCompareTheStreamRevision_whenThePutWasOnTheStream() {
        // GIVEN the table policy is at t-1, the stream policy at s-1
        TableState state = live(policy(OWN_ROLE), policy(STREAM_TO_STRANGER)).orElseThrow();

        assertThat(check.isCurrent(TestEvents.call(putResourcePolicy(STREAM, policy(STREAM_TO_STRANGER), "s-1")), state))
                .isTrue();
        assertThat(check.isCurrent(TestEvents.call(putResourcePolicy(STREAM, policy(STREAM_TO_STRANGER), "t-1")), state))
                .isFalse();
    }

    @Test
    void isCurrent_shouldBeTrue_whenTheEventNamesNoRevision() {
        assertThat(check.isCurrent(TestEvents.call(putResourcePolicy(ORDERS.arn(), policy(EVERYONE), null)),
                live(null, null).orElseThrow())).isTrue();
        assertThat(check.isCurrent(TestEvents.call(eventBy(TestEvents.DEVELOPER_ROLE, "CreateTable", "orders")),
                live(null, null).orElseThrow())).isTrue();
    }

    /**
     * GetResourcePolicy right after a CreateTable that carried a policy may answer PolicyNotFoundException
     * (DynamoDB API reference, GetResourcePolicy), which the reader reads as "no policy".
     */
    @Test
    void isCurrent_shouldBeFalse_whenCreateTableCarriedAPolicyThatCannotBeReadYet() {
        assertThat(check.isCurrent(TestEvents.call(createTableWithPolicy("orders", policy(EVERYONE))),
                live(null, null).orElseThrow())).isFalse();
    }
}
