package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.backups.BackupsRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the backups rule against moto_server on loopback: moto models DynamoDB's
 * on-demand backups (CreateBackup, DeleteBackup; checked with moto 5.2.1), so a backup is made and deleted there
 * and its DeleteBackup record delivered, with the real ledger table and topic. The AWS Backup deletions read nothing
 * (what is deleted cannot be read after the call); one of them is delivered here too, to show the ledger and the
 * topic keep one entry and one alert for an event that names no table. moto models no recovery points, so what the
 * handler's AWS Backup client asks about a vault's points gets no answer there, and the rule fails closed saying so.
 */
class BackupsIT {
    private static final BackupsRule RULE = new BackupsRule();
    private final Harness harness = new Harness();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(RULE, "dynamodb:DescribeTable", "sns:Publish", "dynamodb:PutItem");
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private JsonNode invoke(String event) throws Exception {
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(Map.of()))), event);
    }

    /** A backup of {@code table} made in moto and deleted again: its ARN, as DeleteBackup's record names it. */
    private String deletedBackupOf(String table) {
        String arn = harness.estate.dynamo().createBackup(r -> r.tableName(table).backupName(table + "-weekly"))
                .backupDetails().backupArn();
        harness.estate.dynamo().deleteBackup(r -> r.backupArn(arn));
        return arn;
    }

    private static String deleteBackupEvent(String backupArn) throws Exception {
        return Project.event("backups-delete-backup.json")
                .replace("arn:aws:dynamodb:us-east-1:123456789012:table/payments/backup/01715680827000-6f1d2c3b", backupArn);
    }

    @Test
    void aPrincipalsDeleteBackup_shouldBeAlertedHighOnce_andARedeliveryChangeNothing() throws Exception {
        // GIVEN payments, one of whose backups alice just deleted
        harness.estate.createTable("payments", true);
        String event = deleteBackupEvent(deletedBackupOf("payments"));
        String backup = Harness.JSON.readTree(event).at("/detail/requestParameters/backupArn").asText();

        // WHEN the DeleteBackup record arrives, then again
        JsonNode first = invoke(event);
        JsonNode again = invoke(event);

        // THEN one HIGH alert naming the backup and the actor, one ledger entry, nothing the second time
        assertThat(first.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(first.at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).isEqualTo("[HIGH] ddb-warden backups: payments (us-east-1) - backup deleted");
            assertThat(alert.path("Message").asText()).contains(backup).contains("assumed-role/developer/alice")
                    .contains("can no longer be restored").doesNotContain("no longer exists");
            assertThat(alert.at("/MessageAttributes/rule/Value").asText()).isEqualTo("backups");
        });
        assertThat(harness.estate.ledgerItems()).hasSize(1);
    }

    @Test
    void aBackupOfATableAlreadyDeleted_shouldSayItMayHaveBeenTheLastCopy() throws Exception {
        harness.estate.createTable("payments", false);
        String event = deleteBackupEvent(deletedBackupOf("payments"));
        harness.estate.dynamo().deleteTable(r -> r.tableName("payments"));

        JsonNode result = invoke(event);

        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("no longer exists").contains("last copy of its data"));
    }

    @Test
    void awsBackupsLifecycleDeletion_shouldBeRecordedAsCompliant_withoutAlert() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode result = invoke(Project.event("backups-delete-backup-by-aws-backup.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void aVaultDeletion_namingNoTable_shouldMakeOneLedgerEntryAndOneAlert() throws Exception {
        JsonNode first = invoke(Project.event("backups-delete-vault.json"));
        JsonNode again = invoke(Project.event("backups-delete-vault.json"));

        assertThat(first.at("/results/0/table").asText()).isEqualTo("arn:aws:backup:us-east-1:123456789012:backup-vault:prod-vault");
        assertThat(first.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(again.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Subject").asText()).isEqualTo("[HIGH] ddb-warden backups: prod-vault (us-east-1) - backup vault deleted"));
        assertThat(harness.estate.ledgerItems()).singleElement().satisfies(item ->
                assertThat(item.get("subject").s()).isEqualTo("backups#arn:aws:backup:us-east-1:123456789012:backup-vault:prod-vault"));
    }
    @Test
    void aVaultLockRemoval_shouldAskAwsBackup_andFailClosedSayingWhy_whenItCannotAnswer() throws Exception {
        // GIVEN moto_server, which models vaults but not the recovery points in them (backup/urls.py routes no
        // /recovery-points/ path): the handler's own AWS Backup client asks it and gets no list

        // WHEN the lock removal is delivered
        JsonNode result = invoke(Project.event("backups-delete-vault-lock.json"));

        // THEN HIGH all the same, saying that AWS Backup was asked and what it answered
        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("ddb-warden asked AWS Backup which resources its recovery"
                        + " points were taken of and got no answer: AWS Backup").contains("in case"));
    }
}
