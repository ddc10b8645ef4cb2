package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.rules.backups.BackupsRule;
import dev.ddbwarden.rules.iamusers.IamUsersRule;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.CallReads;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** The backups rule with AWS Backup's answer fixed: what its call augment reads reaches the decision. */
    private static final class AnsweredBackups implements Rule {
        private final BackupsRule backups = new BackupsRule();
        private final Coverage answer;
        final List<String> asked = new ArrayList<>();

        AnsweredBackups(Coverage answer) {
            this.answer = answer;
        }

        @Override public String name() { return backups.name(); }
        @Override public String function() { return backups.function(); }
        @Override public List<Trigger> triggers() { return backups.triggers(); }
        @Override public Set<String> tableActions() { return backups.tableActions(); }
        @Override public Class<? extends Remedy> remedies() { return backups.remedies(); }
        @Override public List<Fix<?>> fixes(FixContext context) { return List.of(); }
        @Override public List<TableRef> subjects(ApiCall call) { return backups.subjects(call); }

        @Override
        public List<CallAugment<?>> callAugments() {
            return List.of(new CallAugment<Coverage>() {
                @Override public Class<Coverage> type() { return dev.ddbwarden.backup.Coverage.class; }

                @Override
                public Optional<Coverage> read(ApiCall call, Settings settings) {
                    asked.add(call.eventName());
                    return java.util.Optional.of(answer);
                }
            });
        }

        @Override
        public Optional<ResourceFinding> evaluateResource(ApiCall call,
                CallReads reads, Settings settings) {
            return backups.evaluateResource(call, reads, settings);
        }

        @Override
        public List<Finding> evaluate(ApiCall call, TableRef table,
                Optional<TableState> state, Settings settings, Instant now) {
            return backups.evaluate(call, table, state, settings, now);
        }
    }

    @Test
    void process_shouldHandWhatTheRulesCallAugmentsReadToItsDecision() throws IOException {
        // GIVEN AWS Backup saying the unlocked vault holds no DynamoDB point, and another saying it holds orders's
        AnsweredBackups none = new AnsweredBackups(new dev.ddbwarden.backup.Coverage.NotDynamoDb("no DynamoDB point"));
        AnsweredBackups orders = new AnsweredBackups(new dev.ddbwarden.backup.Coverage.Tables(
                List.of("arn:aws:dynamodb:us-east-1:123456789012:table/orders")));
        ObjectNode event = sample("backups-delete-vault-lock.json");
        TimeBudget budget = TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO);

        // WHEN the lock removal is processed with each answer
        List<Result> quiet = process(none, SETTINGS, event, 0, budget);
        List<Result> alerted = process(orders, SETTINGS, event, 0, budget);

        // THEN the first is no business of the rule, the second names the table; each asked once
        assertThat(quiet).isEmpty();
        assertThat(alerted).containsExactly(new Result("backups", VAULT_ARN, "HIGH", "ALERTED", "sent"));
        assertThat(publisher.published()).singleElement().satisfies(alert ->
                assertThat(alert.body()).contains("table/orders").doesNotContain("in case"));
        assertThat(none.asked).containsExactly("DeleteBackupVaultLockConfiguration");
        assertThat(orders.asked).containsExactly("DeleteBackupVaultLockConfiguration");
    }

    @Test
    void theSweepsLookAtATable_shouldAskAResourceRuleNothing_andLogNoWarning() {
        // GIVEN a rule that names no table in the sweep's call (iam-users' shape): the sweep looks at its resources once
        // a region (ResourceAlerts.sweep), so its call about each table is none of the rule's business
        AnsweredBackups rule = new AnsweredBackups(new dev.ddbwarden.backup.Coverage.NotDynamoDb("no DynamoDB point"));
        ApiCall sweep = ApiCall.sweep("s1", "us-east-1", TestEvents.ACCOUNT, "", clock.instant());

        List<Result> results = process(rule, SETTINGS, sweep, TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));

        assertThat(results).isEmpty();
        assertThat(rule.asked).isEmpty();

        // AND a delivered record that only names itself Sweep is no sweep: the rule reads and decides on it
        process(rule, SETTINGS, TestEvents.call(TestEvents.event(ApiCall.SWEEP, "")),
                TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
        assertThat(rule.asked).containsExactly(ApiCall.SWEEP);
    }

    @Test
    void process_shouldAskNothing_whenTheRuleIsOff() throws IOException {
        AnsweredBackups rule = new AnsweredBackups(new dev.ddbwarden.backup.Coverage.NotDynamoDb("no DynamoDB point"));
        Settings off = Settings.from(Map.of(EnvVar.RULE_MODES, "backups=off")::get);

        List<Result> results = process(rule, off, sample("backups-delete-vault-lock.json"), 0,
                TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));

        assertThat(results).containsExactly(Result.skipped("backups", VAULT_ARN, "SKIPPED_RULE_OFF"));
        assertThat(rule.asked).isEmpty();
    }

    /** A rule that watches one cluster of the region besides tables, and finds it wanting. */
    private static class SweptRule implements dev.ddbwarden.rules.Rule {
        @Override public String name() {
            return "swept";
        }

        @Override public String function() {
            return "SweptFunction";
        }

        @Override public List<dev.ddbwarden.rules.Trigger> triggers() {
            return List.of();
        }

        @Override public java.util.Set<String> tableActions() {
            return java.util.Set.of();
        }

        @Override public Class<? extends dev.ddbwarden.check.Remedy> remedies() {
            return dev.ddbwarden.check.Remedy.AlertOnly.class;
        }

        @Override public List<dev.ddbwarden.fix.Fix<?>> fixes(dev.ddbwarden.fix.FixContext context) {
            return List.of();
        }

        @Override public List<dev.ddbwarden.check.Finding> evaluate(dev.ddbwarden.event.ApiCall call,
                dev.ddbwarden.event.TableRef table, java.util.Optional<dev.ddbwarden.state.TableState> state,
                Settings settings, java.time.Instant now) {
            return List.of();
        }

        @Override public dev.ddbwarden.check.SweptResources sweepResources(String account, String region, Settings settings) {
            return new dev.ddbwarden.check.SweptResources(List.of(new dev.ddbwarden.check.ResourceFinding("swept",
                    dev.ddbwarden.check.Severity.HIGH,
                    new dev.ddbwarden.event.ResourceRef("DAX cluster", "orders-cache", CLUSTER_ARN, region, "123456789012"),
                    "DAX cluster in plain text", "found by the sweep", "replace it")), List.of(new dev.ddbwarden.event.ResourceRef(
                    "DAX cluster", "orders-tls", TLS_CLUSTER_ARN, region, "123456789012")));
        }
    }

    private static final String CLUSTER_ARN = "arn:aws:dax:us-east-1:123456789012:cache/orders-cache";
    private static final String TLS_CLUSTER_ARN = "arn:aws:dax:us-east-1:123456789012:cache/orders-tls";

    private List<Result> sweep(Settings settings, String sweepId) {
        return sweep(new SweptRule(), settings, sweepId);
    }

    private List<Result> sweep(SweptRule rule, Settings settings, String sweepId) {
        dev.ddbwarden.fix.FixContext context = new dev.ddbwarden.fix.FixContext(
                dev.ddbwarden.state.RegionalDynamo.single(dynamo), ledger::hold, clock);
        Pipeline pipeline = new Pipeline(rule, rule.subjectLookup(context), settings,
                new dev.ddbwarden.state.TableReader(dev.ddbwarden.state.RegionalDynamo.single(dynamo), sleeper, List.of()),
                new dev.ddbwarden.fix.Fixes(List.of()), ledger, publisher, java.util.Optional.empty(), clock, sleeper,
                new dev.ddbwarden.state.TrailHistory((account, region) -> trail, sleeper)).forSweep(settings);
        return pipeline.sweepResources(sweepId, "123456789012", "us-east-1", TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
    }

    @Test
    void sweepResources_shouldAlertEachFindingOncePerSweep_andNothingWhenTheRuleIsOff() {
        // WHEN one sweep looks at the region twice (a page re-run), then the next sweep looks again
        List<Result> first = sweep(SETTINGS, "s1");
        List<Result> again = sweep(SETTINGS, "s1");
        List<Result> next = sweep(SETTINGS, "s2");
        List<Result> off = sweep(Settings.from(Map.of(EnvVar.RULE_MODES, "swept=off")::get), "s3");

        // THEN one alert per sweep, under the sweep's own ledger key, and none while the rule is off
        assertThat(first).containsExactly(new Result("swept", CLUSTER_ARN, "HIGH", "ALERTED", "sent"));
        assertThat(again).containsExactly(Result.skipped("swept", CLUSTER_ARN, "ALREADY_HANDLED"));
        assertThat(next).extracting(Result::action).containsExactly("ALERTED");
        assertThat(off).isEmpty();
        assertThat(publisher.published()).hasSize(2).allSatisfy(alert ->
                assertThat(alert.subject()).isEqualTo("[HIGH] ddb-warden swept: orders-cache (us-east-1) - DAX cluster in plain text"));
        assertThat(ledger.entry(LedgerKey.of("sweep-s1", "swept", CLUSTER_ARN))).isNotNull();
        assertThat(publisher.compliant()).as("the compliant cluster's finding closed at each look while the rule is on")
                .hasSize(3).containsOnly(new AlertPublisher.Compliant("swept", "DAX cluster", TLS_CLUSTER_ARN, "us-east-1", "123456789012"));
        verify(dynamo, never()).describeTable(any(DescribeTableRequest.class));
    }

    @Test
    void sweepResources_shouldSayTheRuleCouldNotLook_whenItsReadFails() {
        SweptRule failing = new SweptRule() {
            @Override public dev.ddbwarden.check.SweptResources sweepResources(String account, String region, Settings settings) {
                throw new IllegalStateException("DAX has no endpoint here");
            }
        };

        List<Result> results = sweep(failing, SETTINGS, "s1");

        assertThat(results).containsExactly(Result.skipped("swept", "123456789012/us-east-1", ResourceAlerts.LOOK_FAILED));
        assertThat(publisher.published()).isEmpty();
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
