package dev.ddbwarden.rules.backups;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.CallReads;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure decisions of the backups rule on the samples in events/, as EventBridge delivers them. */
class BackupsRuleTest {
    private static final Instant NOW = Instant.parse("2024-05-14T09:50:00Z");
    private static final Settings DEFAULTS = Settings.from(name -> null);
    private static final String ALICE = "arn:aws:sts::123456789012:assumed-role/developer/alice";
    private static final String ORDERS = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private static final String ADVANCED = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45";

    private final BackupsRule rule = new BackupsRule();

    private static ObjectNode event(String file) throws IOException {
        return (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events", file)));
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(event(file));
    }

    private static Optional<TableState> live(TableRef table) {
        return Optional.of(new TableState(table, "ACTIVE", Map.of()));
    }

    @Test
    void deleteBackup_shouldBeAboutTheBackedUpTable_andAlertHIGH_withTheActorAndWhatIsLost() throws IOException {
        // GIVEN a principal's DeleteBackup of an on-demand backup of payments
        ApiCall call = sample("backups-delete-backup.json");

        // WHEN
        List<TableRef> subjects = rule.subjects(call);
        List<Finding> findings = rule.evaluate(call, subjects.get(0), live(subjects.get(0)), DEFAULTS, NOW);

        // THEN
        assertThat(subjects).extracting(TableRef::name).containsExactly("payments");
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo("backup deleted");
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.detail()).contains("on-demand backup arn:aws:dynamodb:us-east-1:123456789012:table/payments/backup/")
                    .contains(ALICE).contains("can no longer be restored to the moment it was taken")
                    .contains("turns point-in-time recovery off next").doesNotContain("no longer exists");
            assertThat(f.remedy().manualStep(f.table())).contains("list-backups").contains("create-backup");
        });
    }

    @Test
    void deleteBackup_shouldSayTheBackupMayHaveBeenTheLastCopy_whenTheTableIsGone() throws IOException {
        ApiCall call = sample("backups-delete-backup.json");
        TableRef table = rule.subjects(call).get(0);

        List<Finding> findings = rule.evaluate(call, table, Optional.empty(), DEFAULTS, NOW);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.detail()).contains("no longer exists").contains("last copy of its data");
            assertThat(f.remedy().manualStep(f.table())).doesNotContain("create-backup");
        });
    }

    @Test
    void deleteBackup_byAwsBackupsLifecycle_shouldBeRoutine() throws IOException {
        ApiCall call = sample("backups-delete-backup-by-aws-backup.json");
        TableRef table = rule.subjects(call).get(0);

        assertThat(call.actor().invokedBy()).isEqualTo("backup.amazonaws.com");
        assertThat(rule.evaluate(call, table, live(table), DEFAULTS, NOW)).isEmpty();
    }

    @Test
    void deleteRecoveryPoint_ofADynamoDbBackup_shouldBeAboutItsTable() throws IOException {
        ApiCall call = sample("backups-delete-recovery-point-dynamodb.json");

        List<TableRef> subjects = rule.subjects(call);

        assertThat(subjects).extracting(TableRef::name).containsExactly("orders");
        assertThat(rule.evaluate(call, subjects.get(0), live(subjects.get(0)), DEFAULTS, NOW)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("AWS Backup recovery point arn:aws:dynamodb:"));
    }

    @Test
    void deleteRecoveryPoint_withAdvancedFeatures_shouldFailClosed_sayingTheRecordDoesNotNameTheResource() throws IOException {
        ApiCall call = sample("backups-delete-recovery-point-advanced.json");

        assertThat(rule.subjects(call)).isEmpty();
        Optional<ResourceFinding> finding = rule.evaluateResource(call, DEFAULTS);

        assertThat(finding).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.resource().arn()).isEqualTo(ADVANCED);
            assertThat(f.resource().name()).isEqualTo("1EB3B5E7-9EB0-435A-A80B-108B488B0D45 in vault prod-vault");
            assertThat(f.detail()).contains("was deleted by " + ALICE).contains("does not say which resources were covered");
        });
    }

    @Test
    void deleteRecoveryPoint_ofAnotherServicesResource_shouldNotConcernTheRule() throws IOException {
        ApiCall call = sample("backups-delete-recovery-point-ebs.json");

        assertThat(rule.subjects(call)).isEmpty();
        assertThat(rule.evaluateResource(call, DEFAULTS)).isEmpty();
    }

    @Test
    void updateLifecycle_settingADeletion_shouldSayWhenThePointGoes() throws IOException {
        Optional<ResourceFinding> finding = rule.evaluateResource(sample("backups-update-lifecycle.json"), DEFAULTS);

        assertThat(finding).hasValueSatisfying(f -> {
            assertThat(f.title()).isEqualTo("recovery point set to expire");
            assertThat(f.detail()).contains("to be deleted 1 day(s) after it was made").contains("May 15, 2024 9:46:27 AM");
        });
    }

    @Test
    void updateLifecycle_settingNoDeletion_keepsThePointForEver_andIsNotAFinding() throws IOException {
        ObjectNode event = event("backups-update-lifecycle.json");
        TestEvents.request(event).putObject("lifecycle").put("moveToColdStorageAfterDays", 30);

        assertThat(rule.evaluateResource(TestEvents.call(event), DEFAULTS)).isEmpty();
    }

    @Test
    void updateLifecycle_ofAnAdvancedPointAwsBackupSaysIsADynamoDbTables_shouldNameTheTable() throws IOException {
        // GIVEN AWS Backup says the advanced recovery point was taken of table orders
        CallReads reads = CallReads.of(Coverage.class, new Coverage.Tables(List.of(ORDERS)));

        // WHEN its retention is shortened
        Optional<ResourceFinding> finding = rule.evaluateResource(sample("backups-update-lifecycle.json"), reads, DEFAULTS);

        // THEN HIGH, naming the table, with no "in case"
        assertThat(finding).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo("recovery point set to expire");
            assertThat(f.detail()).contains("a backup of DynamoDB table " + ORDERS).contains("1 day(s) after it was made")
                    .doesNotContain("in case");
        });
    }

    @Test
    void updateLifecycle_ofAnAdvancedPointOfAnotherService_shouldNotConcernTheRule() throws IOException {
        CallReads reads = CallReads.of(Coverage.class, new Coverage.NotDynamoDb("a recovery point of EFS"));

        assertThat(rule.evaluateResource(sample("backups-update-lifecycle.json"), reads, DEFAULTS)).isEmpty();
    }

    @Test
    void updateLifecycle_whenAwsBackupGivesNoAnswer_shouldFailClosed_sayingWhy() throws IOException {
        CallReads reads = CallReads.of(Coverage.class, new Coverage.Unknown("AWS Backup refused ddb-warden (HTTP 403 AccessDeniedException)"));

        assertThat(rule.evaluateResource(sample("backups-update-lifecycle.json"), reads, DEFAULTS)).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("got no answer: AWS Backup refused ddb-warden (HTTP 403 AccessDeniedException)")
                    .contains("does not say which resources were covered").contains("in case");
        });
    }

    @Test
    void vaultLockRemoved_fromAVaultHoldingDynamoDbPoints_shouldNameTheirTables() throws IOException {
        CallReads reads = CallReads.of(Coverage.class, new Coverage.Tables(List.of(ORDERS, "arn:aws:dynamodb:us-east-1:123456789012:table/payments")));

        assertThat(rule.evaluateResource(sample("backups-delete-vault-lock.json"), reads, DEFAULTS)).hasValueSatisfying(f -> {
            assertThat(f.title()).isEqualTo("vault lock removed");
            assertThat(f.detail()).contains("recovery points, of DynamoDB tables " + ORDERS + ", arn:aws:dynamodb:us-east-1:123456789012:table/payments,")
                    .doesNotContain("in case");
        });
    }

    @Test
    void vaultLockRemoved_fromAVaultWithNoDynamoDbPoint_shouldNotConcernTheRule() throws IOException {
        CallReads reads = CallReads.of(Coverage.class, new Coverage.NotDynamoDb("vault prod-vault holds no DynamoDB recovery point"));

        assertThat(rule.evaluateResource(sample("backups-delete-vault-lock.json"), reads, DEFAULTS)).isEmpty();
    }

    @Test
    void vaultLockRemoved_whenAwsBackupGivesNoAnswer_shouldFailClosed_sayingWhy() throws IOException {
        CallReads reads = CallReads.of(Coverage.class, new Coverage.Unknown("AWS Backup did not answer in time (HTTP 503)"));

        assertThat(rule.evaluateResource(sample("backups-delete-vault-lock.json"), reads, DEFAULTS)).hasValueSatisfying(f ->
                assertThat(f.detail()).contains("got no answer: AWS Backup did not answer in time (HTTP 503)").contains("in case"));
    }

    @Test
    void deletedResources_cannotBeReadAfterTheCall_andFailClosedWhateverWasRead() throws IOException {
        // A stray read must not silence a deletion: the deleted point can no longer be described.
        CallReads reads = CallReads.of(Coverage.class, new Coverage.Tables(List.of(ORDERS)));

        assertThat(rule.evaluateResource(sample("backups-delete-recovery-point-advanced.json"), reads, DEFAULTS))
                .hasValueSatisfying(f -> assertThat(f.detail()).contains("can no longer be read once deleted"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "backups-delete-vault.json|backup vault deleted|arn:aws:backup:us-east-1:123456789012:backup-vault:prod-vault|only an empty vault",
        "backups-delete-vault-lock.json|vault lock removed|arn:aws:backup:us-east-1:123456789012:backup-vault:prod-vault|can now be deleted",
        "backups-delete-plan.json|backup plan deleted|arn:aws:backup:us-east-1:123456789012:backup-plan:8a6a5f5e-3c1b-4d2e-9f0a-7b6c5d4e3f21|no longer backed up",
        "backups-delete-selection.json|backup selection deleted|arn:aws:backup:us-east-1:123456789012:backup-plan:8a6a5f5e-3c1b-4d2e-9f0a-7b6c5d4e3f21/selection/0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f|no longer backed up"})
    void callsNamingNoTable_shouldFailClosed_HIGH(String file, String title, String arn, String says) throws IOException {
        ApiCall call = sample(file);

        assertThat(rule.subjects(call)).isEmpty();
        assertThat(rule.evaluateResource(call, DEFAULTS)).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo(title);
            assertThat(f.resource().arn()).isEqualTo(arn);
            assertThat(f.detail()).contains(says).contains(ALICE).contains("does not say which resources were covered");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"backups-delete-vault.json", "backups-delete-plan.json", "backups-delete-recovery-point-advanced.json",
            "backups-update-lifecycle.json"})
    void awsBackupsOwnCalls_shouldBeRoutine(String file) throws IOException {
        ObjectNode event = event(file);
        TestEvents.detail(event).putObject("userIdentity").put("type", "AWSService").put("invokedBy", "backup.amazonaws.com");

        assertThat(rule.evaluateResource(TestEvents.call(event), DEFAULTS)).isEmpty();
    }

    @Test
    void aVaultNameAwsBackupWouldRefuse_isBadInput_andNoFinding() throws IOException {
        ObjectNode event = event("backups-delete-vault.json");
        TestEvents.request(event).put("backupVaultName", "no such vault\nforged");

        assertThat(rule.evaluateResource(TestEvents.call(event), DEFAULTS)).isEmpty();
    }

    @Test
    void theSweep_shouldFindNothing_aDeletionLeavesNothingToSee() {
        ApiCall sweep = ApiCall.sweep("s1", "us-east-1", "123456789012", "payments", NOW);
        TableRef table = rule.subjects(sweep).get(0);

        assertThat(table.name()).isEqualTo("payments");
        assertThat(rule.evaluate(sweep, table, live(table), DEFAULTS, NOW)).isEmpty();
    }
}
