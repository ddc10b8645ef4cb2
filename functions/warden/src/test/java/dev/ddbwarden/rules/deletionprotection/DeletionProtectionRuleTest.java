package dev.ddbwarden.rules.deletionprotection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.APPROVED_ROLE;
import static dev.ddbwarden.TestEvents.request;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.eventBy;
import static org.assertj.core.api.Assertions.assertThat;

class DeletionProtectionRuleTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:05Z");
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final Settings SETTINGS = Settings.from(Map.of(EnvVar.APPROVED_PRINCIPALS, APPROVED_ROLE)::get);

    private final DeletionProtectionRule check = new DeletionProtectionRule();

    private static Optional<TableState> state(boolean protection) {
        return Optional.of(new TableState(ORDERS, "ACTIVE", Map.of())
                .withAugment(DeletionProtection.class, new DeletionProtection(protection)));
    }

    private List<Finding> evaluate(ObjectNode event, Optional<TableState> state) {
        return check.evaluate(TestEvents.call(event), ORDERS, state, SETTINGS, NOW);
    }

    @Test
    void evaluate_shouldAskToEnableProtection_whenProtectionIsOff() {
        // WHEN
        List<Finding> findings = evaluate(event("CreateTable", "orders"), state(false));

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("deletion-protection");
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.table()).isEqualTo(ORDERS);
            assertThat(f.remedy()).isEqualTo(new DeletionProtectionRemedy.EnableDeletionProtection());
            assertThat(f.detail()).contains("orders").contains("after CreateTable");
        });
    }

    @Test
    void evaluate_shouldFindNothing_whenProtectionIsOn() {
        assertThat(evaluate(event("CreateTable", "orders"), state(true))).isEmpty();
    }

    @Test
    void evaluate_shouldFindNothing_whenTableNoLongerExists() {
        assertThat(evaluate(event("CreateTable", "orders"), Optional.empty())).isEmpty();
    }

    @Test
    void evaluate_shouldMarkDecommission_whenApprovedPrincipalTurnsProtectionOff() {
        // GIVEN an assumed-role session whose issuer is approved
        ObjectNode event = eventBy(APPROVED_ROLE, "UpdateTable", "orders");
        request(event).put("deletionProtectionEnabled", false);

        // WHEN
        List<Finding> findings = evaluate(event, state(false));

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.remedy()).isEqualTo(new DeletionProtectionRemedy.MarkDecommission(Instant.parse("2024-05-02T12:00:05Z")));
            assertThat(f.detail()).contains(APPROVED_ROLE);
        });
    }

    @Test
    void evaluate_shouldStillAskToEnable_whenApprovedPrincipalCreatesUnprotectedTable() {
        // GIVEN only turning protection off is a decommission
        List<Finding> findings = evaluate(eventBy(APPROVED_ROLE, "CreateTable", "orders"), state(false));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.remedy()).isInstanceOf(DeletionProtectionRemedy.EnableDeletionProtection.class);
        });
    }

    @Test
    void evaluate_shouldAskToEnable_whenUnapprovedPrincipalTurnsProtectionOff() {
        ObjectNode event = event("UpdateTable", "orders");
        request(event).put("deletionProtectionEnabled", false);

        assertThat(evaluate(event, state(false))).singleElement()
                .satisfies(f -> assertThat(f.remedy()).isInstanceOf(DeletionProtectionRemedy.EnableDeletionProtection.class));
    }

    @Test
    void evaluate_shouldReportCritical_whenUnapprovedPrincipalDeletesTable() {
        // GIVEN the table is already gone
        ApiCall call = TestEvents.call(event("DeleteTable", "orders"));

        // WHEN
        List<Finding> findings = check.evaluate(call, ORDERS, Optional.empty(), SETTINGS, NOW);

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.remedy().changesTable()).isFalse();
            assertThat(f.detail()).contains(call.actor().describe()).contains("not an approved principal");
            assertThat(f.remedy().manualStep(ORDERS)).contains("service control policy");
        });
    }

    @Test
    void evaluate_shouldReportLow_whenApprovedPrincipalDeletesTable() {
        List<Finding> findings = evaluate(eventBy(APPROVED_ROLE, "DeleteTable", "orders"), Optional.empty());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains(APPROVED_ROLE);
        });
    }

    @Test
    void evaluate_shouldReportDeletion_evenWhenDeletedTableWasProtected() {
        // GIVEN DescribeTable still shows the table (DELETING) with protection on
        Optional<TableState> deleting = Optional.of(new TableState(ORDERS, "DELETING", Map.of())
                .withAugment(DeletionProtection.class, new DeletionProtection(true)));

        assertThat(evaluate(event("DeleteTable", "orders"), deleting)).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void contract_shouldListTriggersAndTableActions() {
        assertThat(check.triggers()).contains(Trigger.on("UpdateTable", "deletionProtectionEnabled"),
                Trigger.on("TagResource", "tags.key"), Trigger.on("DeleteTable"));
        assertThat(check.eventNames()).containsExactlyInAnyOrder("CreateTable", "RestoreTableFromBackup",
                "RestoreTableToPointInTime", "ImportTable", "UpdateTable", "DeleteTable", "BackupRestoreJobCompleted",
                "TagResource");
        assertThat(check.tableActions()).containsExactlyInAnyOrder("dynamodb:DescribeTable",
                "dynamodb:ListTagsOfResource", "dynamodb:GetResourcePolicy", "dynamodb:UpdateTable", "dynamodb:TagResource");
        assertThat(Rules.byName("deletion-protection")).containsInstanceOf(DeletionProtectionRule.class);
        assertThat(check.decidesOnActor()).isTrue();
    }

    /**
     * Only the UpdateTable that switched protection off is a decommission: an approved principal changing
     * the billing mode of an unprotected table gets protection turned on, like anyone else.
     */
    @Test
    void evaluate_shouldAskToEnable_whenApprovedUpdateTableDoesNotTouchProtection() {
        ObjectNode event = eventBy(APPROVED_ROLE, "UpdateTable", "orders");
        request(event).put("billingMode", "PAY_PER_REQUEST");

        assertThat(evaluate(event, state(false))).singleElement()
                .satisfies(f -> assertThat(f.remedy()).isInstanceOf(DeletionProtectionRemedy.EnableDeletionProtection.class));
    }
}
