package dev.ddbwarden.check;

import dev.ddbwarden.state.Replicas;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.regionguard.RegionGuardRemedy;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.DEVELOPER_ROLE;
import static dev.ddbwarden.TestEvents.EVENT_ID;
import static dev.ddbwarden.TestEvents.addReplicas;
import static dev.ddbwarden.TestEvents.createGlobalTable;
import static dev.ddbwarden.TestEvents.createTableIn;
import static dev.ddbwarden.TestEvents.importIn;
import static dev.ddbwarden.TestEvents.restoreIn;
import static dev.ddbwarden.TestEvents.tableIn;
import static dev.ddbwarden.TestEvents.tree;
import static dev.ddbwarden.TestEvents.updateGlobalTable;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.PARTNER;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The region-guard rule as a pure decision on a call and the table read live; no client, no I/O. Replicas,
 * legacy global tables and stream policies, which moto_server cannot model, are decided here on states
 * built by hand.
 */
class RegionGuardCheckTest {
    static final String SYDNEY = "ap-southeast-2";
    static final String SECURITY_ROLE = "arn:aws:iam::123456789012:role/security/incident-responder";
    static final Settings ALLOWED = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1,eu-west-1",
            EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, SECURITY_ROLE)::get);
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:05Z");
    private static final TableRef COPY = tableIn(SYDNEY, "customer-copy");
    private static final String STREAM = COPY.arn() + "/stream/2024-05-01T12:00:00.000";
    private static final TableRef ORDERS = TestEvents.table("orders");

    private final RegionGuardRule check = new RegionGuardRule();

    private static TableState live(TableRef table, String stream, String tablePolicy, Map<String, String> tags,
                                   List<String> replicas) {
        return new TableState(table, "ACTIVE", tags)
                .withAugment(ResourcePolicies.class, new ResourcePolicies(
                        Optional.ofNullable(tablePolicy).map(p -> new ResourcePolicy(table.arn(), p, "r-1")), stream,
                        Optional.empty()))
                .withAugment(Replicas.class, new Replicas(replicas));
    }

    private static TableState created(String tablePolicy) {
        return live(COPY, "", tablePolicy, Map.of(), List.of());
    }

    private List<Finding> evaluate(ObjectNode event, TableRef table, Optional<TableState> state, Settings settings) {
        return check.evaluate(TestEvents.call(event), table, state, settings, NOW);
    }

    private List<Finding> createdIn(TableState state, Settings settings) {
        return evaluate(createTableIn(SYDNEY, COPY.name()), COPY, Optional.of(state), settings);
    }

    private static RegionGuardRemedy.Quarantine quarantine(Finding finding) {
        assertThat(finding.remedy()).isInstanceOf(RegionGuardRemedy.Quarantine.class);
        return (RegionGuardRemedy.Quarantine) finding.remedy();
    }

    private static List<JsonNode> statements(String policy) {
        List<JsonNode> statements = new ArrayList<>();
        tree(policy).path("Statement").forEach(statements::add);
        return statements;
    }

    @Test
    void evaluate_shouldQuarantineWithNoPolicyRevision_whenTableIsInAForbiddenRegionWithoutPolicy() {
        // WHEN
        List<Finding> findings = createdIn(created(null), ALLOWED);

        // THEN one HIGH quarantine, its one cut written on NO_POLICY, tagged with the reason and event
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(RegionGuardRule.RULE);
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.table()).isEqualTo(COPY);
            RegionGuardRemedy.Quarantine remedy = quarantine(f);
            assertThat(remedy.policies()).singleElement().satisfies(cut -> {
                assertThat(cut.resourceArn()).isEqualTo(COPY.arn());
                assertThat(cut.revisionId()).isEqualTo(Remedy.PolicyCut.NO_POLICY);
                assertThat(cut.removed()).isEmpty();
                assertThat(statements(cut.rewritten().orElseThrow())).singleElement()
                        .satisfies(s -> assertThat(s.path("Sid").asText()).isEqualTo(QuarantineStatement.SID));
            });
            assertThat(remedy.tagValue()).contains(SYDNEY).contains(EVENT_ID);
        });
    }

    @Test
    void evaluate_shouldKeepEveryExistingStatementAndExpectTheRevisionRead_whenTheTableHasAPolicy() {
        // WHEN
        List<Finding> findings = createdIn(created(policy(OWN_ROLE, PARTNER)), ALLOWED);

        // THEN the existing statements, equal as JSON and in order, then the quarantine statement
        Remedy.PolicyCut cut = quarantine(findings.get(0)).policies().get(0);
        assertThat(cut.revisionId()).isEqualTo("r-1");
        List<JsonNode> rewritten = statements(cut.rewritten().orElseThrow());
        assertThat(rewritten).hasSize(3);
        assertThat(rewritten.subList(0, 2)).containsExactly(tree(OWN_ROLE), tree(PARTNER));
        assertThat(rewritten.get(2).path("Sid").asText()).isEqualTo(QuarantineStatement.SID);
        assertThat(tree(cut.rewritten().get()).path("Version").asText()).isEqualTo("2012-10-17");
    }

    @Test
    void evaluate_shouldCutTableAndStream_whenTheTableHasAStream() {
        // WHEN
        List<Finding> findings = createdIn(live(COPY, STREAM, null, Map.of(), List.of()), ALLOWED);

        // THEN the table's statement covers the table and its indexes; the stream's only the stream
        List<Remedy.PolicyCut> cuts = quarantine(findings.get(0)).policies();
        assertThat(cuts).extracting(Remedy.PolicyCut::resourceArn).containsExactly(COPY.arn(), STREAM);
        assertThat(cuts).extracting(Remedy.PolicyCut::revisionId)
                .containsOnly(Remedy.PolicyCut.NO_POLICY);
        assertThat(statements(cuts.get(0).rewritten().orElseThrow()).get(0).path("Resource"))
                .containsExactly(tree("\"" + COPY.arn() + "\""), tree("\"" + COPY.arn() + "/index/*\""));
        assertThat(statements(cuts.get(1).rewritten().orElseThrow()).get(0).path("Resource"))
                .containsExactly(tree("\"" + STREAM + "\""));
    }

    @Test
    void evaluate_shouldFindNothing_whenTheTableIsAlreadyQuarantinedAndTagged() {
        // GIVEN the quarantine statement in place and the tag on the table
        String quarantined = QuarantineStatement.addedTo(Optional.of(policy(OWN_ROLE)), List.of(COPY.arn()), List.of());
        TableState state = live(COPY, "", quarantined, Map.of(QuarantineStatement.TAG_KEY, "earlier"), List.of());

        // WHEN / THEN
        assertThat(createdIn(state, ALLOWED)).isEmpty();
    }

    @Test
    void evaluate_shouldOnlyTag_whenTheStatementIsInPlaceButTheTagIsMissing() {
        // GIVEN an earlier run that wrote the statement and died before tagging
        String quarantined = QuarantineStatement.addedTo(Optional.empty(), List.of(COPY.arn()), List.of());

        // WHEN
        List<Finding> findings = createdIn(created(quarantined), ALLOWED);

        // THEN
        assertThat(quarantine(findings.get(0)).policies()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RestoreTableFromBackup", "RestoreTableToPointInTime"})
    void subjects_shouldNameTheTargetTable_whenARestoreCreatesIt(String eventName) {
        // GIVEN
        ObjectNode event = restoreIn(SYDNEY, eventName, "orders", "orders-sydney");

        // WHEN
        List<TableRef> subjects = check.subjects(TestEvents.call(event));

        // THEN the new table, in the record's region, and it is quarantined
        TableRef target = tableIn(SYDNEY, "orders-sydney");
        assertThat(subjects).containsExactly(target);
        assertThat(evaluate(event, target, Optional.of(live(target, "", null, Map.of(), List.of())), ALLOWED))
                .singleElement().satisfies(f -> assertThat(f.remedy()).isInstanceOf(RegionGuardRemedy.Quarantine.class));
    }

    @Test
    void subjects_shouldNameTheCreatedTable_whenImportTableCreatesIt() {
        assertThat(check.subjects(TestEvents.call(importIn("sa-east-1", "imported-sa"))))
                .containsExactly(tableIn("sa-east-1", "imported-sa"));
    }

    @Test
    void evaluate_shouldFindNothing_whenTheTableIsInAnAllowedRegion() {
        TableRef dublin = tableIn("eu-west-1", "customer-copy");

        assertThat(evaluate(createTableIn("eu-west-1", dublin.name()), dublin,
                Optional.of(live(dublin, "", null, Map.of(), List.of())), ALLOWED)).isEmpty();
    }

    @Test
    void evaluate_shouldAlertWithoutQuarantine_whenTheTableIsExempt() {
        // GIVEN
        Settings exempting = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1,eu-west-1",
                EnvVar.EXEMPT_TABLES, "customer-*")::get);

        // WHEN
        List<Finding> findings = createdIn(created(null), exempting);

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.remedy().manualStep(COPY)).contains("EXEMPT_TABLES");
        });
    }

    @ParameterizedTest(name = "existing policy {0}")
    @ValueSource(strings = {"{not json", "[\"a list\"]"})
    void evaluate_shouldAlertOnly_whenTheExistingPolicyCannotBeRead(String unreadable) {
        // WHEN
        List<Finding> findings = createdIn(created(unreadable), ALLOWED);

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains("could not add its quarantine statement");
        });
    }

    @Test
    void evaluate_shouldRemoveOnlyTheForbiddenReplicaFromTheSource_whenAReplicaIsAddedInAForbiddenRegion() {
        // GIVEN the source in us-east-1, live replicas in Sydney (forbidden) and Dublin (allowed)
        TableState source = live(ORDERS, "", null, Map.of(), List.of(SYDNEY, "eu-west-1"));

        // WHEN
        List<Finding> findings = evaluate(addReplicas("orders", SYDNEY), ORDERS, Optional.of(source), ALLOWED);

        // THEN the replica is removed through the source; the source is never quarantined
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.table()).isEqualTo(ORDERS);
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.remedy()).isEqualTo(new RegionGuardRemedy.RemoveReplicas(List.of(SYDNEY)));
            assertThat(f.detail()).contains(SYDNEY).contains("us-east-1, eu-west-1");
        });
    }

    @Test
    void evaluate_shouldFindNothing_whenEveryReplicaIsInAnAllowedRegion() {
        TableState source = live(ORDERS, "", null, Map.of(), List.of("eu-west-1"));

        assertThat(evaluate(addReplicas("orders", "eu-west-1"), ORDERS, Optional.of(source), ALLOWED)).isEmpty();
    }

    @Test
    void evaluate_shouldAlertWithTheSteps_whenALegacyGlobalTableSpansAForbiddenRegion() {
        // WHEN
        List<Finding> findings = evaluate(createGlobalTable("legacy-orders", "us-east-1", SYDNEY),
                TestEvents.table("legacy-orders"), Optional.empty(), ALLOWED);

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains(SYDNEY).doesNotContain("spans us-east-1");
            assertThat(f.remedy().manualStep(f.table())).contains("update-global-table")
                    .contains("--global-table-name legacy-orders").contains("RegionName=" + SYDNEY);
        });
    }

    @Test
    void evaluate_shouldAlert_whenALegacyGlobalTableGainsAReplicaInAForbiddenRegion() {
        // WHEN
        List<Finding> findings = evaluate(updateGlobalTable("legacy-orders", "sa-east-1"),
                TestEvents.table("legacy-orders"), Optional.empty(), ALLOWED);

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains("sa-east-1");
            assertThat(f.remedy().manualStep(f.table())).contains("RegionName=sa-east-1");
        });
    }

    @Test
    void evaluate_shouldNameTableRegionAllowedRegionsActorAndSteps_whenItQuarantines() {
        // WHEN
        Finding finding = createdIn(created(policy(OWN_ROLE)), ALLOWED).get(0);

        // THEN
        assertThat(finding.detail())
                .contains(COPY.name(), SYDNEY, "us-east-1, eu-west-1", DEVELOPER_ROLE, "CreateTable")
                .contains("To release the table", "delete-resource-policy --resource-arn " + COPY.arn())
                .contains("To move its data", "export-table-to-point-in-time")
                .contains("To delete it", "delete-table --table-name " + COPY.name())
                .contains("To break the glass", "Who can act on it: " + SECURITY_ROLE)
                .contains(policy(OWN_ROLE));
    }

    @Test
    void evaluate_shouldTagWithAValueDynamoDbAccepts_whenItQuarantines() {
        // WHEN
        RegionGuardRemedy.Quarantine remedy = quarantine(createdIn(created(null), ALLOWED).get(0));

        // THEN
        assertThat(remedy.tagValue()).hasSizeLessThanOrEqualTo(256).matches("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-]*");
    }
}
