package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.backups.BackupsRule;
import dev.ddbwarden.rules.iamusers.IamUsersRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The pipeline's path for a call about a resource that is no table (ResourceAlerts): an AWS Backup vault's
 * deletion names no table, yet makes one ledger entry and one alert, and a re-delivery changes nothing. Pure
 * decisions, no AWS read: the mocked DynamoDB client must never be asked about a table.
 */
class ResourceAlertsPipelineTest extends PipelineHarness {
    private static final String VAULT_ARN = "arn:aws:backup:us-east-1:123456789012:backup-vault:prod-vault";

    private static ObjectNode sample(String file) throws IOException {
        return (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events", file)));
    }

    private List<Result> process(Settings settings, ObjectNode event) {
        return process(new BackupsRule(), settings, event, 0, TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
    }

    @Test
    void process_shouldAlertOnceAndRecordOneEntry_forAVaultDeletion_andDoNothingOnARedelivery() throws IOException {
        // GIVEN a DeleteBackupVault, which names a vault and no table
        ObjectNode event = sample("backups-delete-vault.json");
        String eventId = TestEvents.call(event).eventId();

        // WHEN it is delivered, then delivered again
        List<Result> first = process(SETTINGS, event);
        List<Result> again = process(SETTINGS, event);

        // THEN one HIGH alert about the vault, one ledger entry under the event, rule and vault, and nothing the second time
        assertThat(first).containsExactly(new Result("backups", VAULT_ARN, "HIGH", "ALERTED", "sent"));
        assertThat(again).containsExactly(Result.skipped("backups", VAULT_ARN, "ALREADY_HANDLED"));
        assertThat(publisher.published()).singleElement().satisfies(alert -> {
            assertThat(alert.subject()).isEqualTo("[HIGH] ddb-warden backups: prod-vault (us-east-1) - backup vault deleted");
            assertThat(alert.body()).contains("  Resource: " + VAULT_ARN + "\n").contains("  Name: AWS Backup vault prod-vault\n")
                    .contains("arn:aws:sts::123456789012:assumed-role/developer/alice")
                    .contains("does not say which resources were covered").contains("Nothing was changed")
                    .doesNotContain("To exempt or decommission this table");
            assertThat(alert.attributes()).containsEntry("rule", "backups").containsEntry("severity", "HIGH");
        });
        LedgerEntry entry = ledger.entry(LedgerKey.of(eventId, BackupsRule.RULE, VAULT_ARN));
        assertThat(entry.tableArn()).isEqualTo(VAULT_ARN);
        assertThat(entry.alertStatus()).isEqualTo(LedgerEntry.AlertStatus.SENT);
        verify(dynamo, never()).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void process_shouldSendTheAlertAnEarlierRunLeftUnsent_once() throws IOException {
        // GIVEN a first run whose publish failed after its ledger entry was written
        ObjectNode event = sample("backups-delete-plan.json");
        publisher.failNext(1);
        try {
            process(SETTINGS, event);
        } catch (IllegalStateException expected) {
            assertThat(publisher.published()).isEmpty();
        }

        // WHEN Lambda retries it, and the event is then re-delivered
        List<Result> retry = process(SETTINGS, event);
        List<Result> redelivered = process(SETTINGS, event);

        // THEN the retry sends the one alert, and the re-delivery nothing more
        assertThat(retry).extracting(Result::action, Result::alert).containsExactly(org.assertj.core.groups.Tuple.tuple("ALERTED", "sent"));
        assertThat(redelivered).extracting(Result::action).containsExactly("ALREADY_HANDLED");
        assertThat(publisher.published()).extracting(Alert::subject).singleElement().asString().contains("backup plan deleted");
    }

    @Test
    void process_shouldRecordNothing_whenTheRecordShowsAnotherServicesRecoveryPoint() throws IOException {
        // WHEN an EBS snapshot's recovery point is deleted
        List<Result> results = process(SETTINGS, sample("backups-delete-recovery-point-ebs.json"));

        // THEN no result, no entry, no alert
        assertThat(results).isEmpty();
        assertThat(ledger.isEmpty()).isTrue();
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void process_shouldSkip_whenTheRuleIsOff() throws IOException {
        Settings off = Settings.from(Map.of(EnvVar.RULE_MODES, "backups=off")::get);

        List<Result> results = process(off, sample("backups-delete-vault-lock.json"));

        assertThat(results).containsExactly(Result.skipped("backups", VAULT_ARN, "SKIPPED_RULE_OFF"));
        assertThat(publisher.published()).isEmpty();
        assertThat(ledger.isEmpty()).isTrue();
    }

    @Test
    void process_shouldAlertOncePerOccurrence_andCountEveryCallOfIt() throws IOException {
        // GIVEN an IAM user's CreateTable and, later that day, DeleteTable: one occurrence (the user's day)
        String alice = "arn:aws:iam::123456789012:user/Alice";
        TimeBudget budget = TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO);

        // WHEN both arrive, and the first again
        List<Result> created = process(new IamUsersRule(), SETTINGS, sample("iam-users-create-table.json"), 0, budget);
        List<Result> deleted = process(new IamUsersRule(), SETTINGS, sample("iam-users-delete-table.json"), 0, budget);
        List<Result> again = process(new IamUsersRule(), SETTINGS, sample("iam-users-create-table.json"), 0, budget);

        // THEN one alert and one entry, under the day rather than an event; every delivery counted by call name
        assertThat(created).containsExactly(new Result("iam-users", alice, "MEDIUM", "ALERTED", "sent"));
        assertThat(deleted).containsExactly(Result.skipped("iam-users", alice, "ALREADY_HANDLED"));
        assertThat(again).containsExactly(Result.skipped("iam-users", alice, "ALREADY_HANDLED"));
        assertThat(publisher.published()).singleElement().satisfies(alert ->
                assertThat(alert.subject()).isEqualTo("[MEDIUM] ddb-warden iam-users: Alice (us-east-1) - IAM user called DynamoDB"));
        assertThat(ledger.entry(LedgerKey.of("day#2024-05-14", IamUsersRule.RULE, alice)).alertStatus())
                .isEqualTo(LedgerEntry.AlertStatus.SENT);
        assertThat(ledger.sweepCounts("day#2024-05-14#iam-users#" + alice)).isEqualTo(Map.of("CreateTable", 2, "DeleteTable", 1));
        verify(dynamo, never()).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void process_shouldAlertOncePerOccurrence_whenTwoCallsOfItRace() throws IOException {
        // GIVEN the DeleteTable's run opens the user's day just before the CreateTable's run does (concurrent invocations)
        String alice = "arn:aws:iam::123456789012:user/Alice";
        TimeBudget budget = TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO);
        ObjectNode deleted = sample("iam-users-delete-table.json");
        List<List<Result>> theirs = new java.util.ArrayList<>();
        ledger.beforeNextOpen(() -> theirs.add(process(new IamUsersRule(), SETTINGS, deleted, 0, budget)));

        // WHEN the CreateTable's run reaches the ledger
        List<Result> ours = process(new IamUsersRule(), SETTINGS, sample("iam-users-create-table.json"), 0, budget);

        // THEN the run that won the conditional write alerts; the other finds the day taken and only counts
        assertThat(theirs).singleElement().isEqualTo(List.of(new Result("iam-users", alice, "MEDIUM", "ALERTED", "sent")));
        assertThat(ours).containsExactly(Result.skipped("iam-users", alice, "ALREADY_HANDLED"));
        assertThat(publisher.published()).singleElement().satisfies(alert ->
                assertThat(alert.body()).contains("dynamodb:DeleteTable on table payments"));
        assertThat(ledger.sweepCounts("day#2024-05-14#iam-users#" + alice)).isEqualTo(Map.of("CreateTable", 1, "DeleteTable", 1));
    }
}
