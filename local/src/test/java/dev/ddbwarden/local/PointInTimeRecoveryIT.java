package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.pointintimerecovery.PointInTimeRecoveryRule.PitrRemedy;
import dev.ddbwarden.rules.pointintimerecovery.PointInTimeRecoveryRule;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryDescription;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the point-in-time-recovery rule, and its fix alone, against moto_server on loopback: moto models
 * DescribeContinuousBackups and UpdateContinuousBackups with RecoveryPeriodInDays (checked with moto 5.2.1). moto
 * keeps no table in CREATING and never refuses with ContinuousBackupsUnavailable: PointInTimeRecoveryRuleTest and
 * PointInTimeRecoveryFixesTest cover those.
 */
class PointInTimeRecoveryIT {
    private final Harness harness = new Harness();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(new PointInTimeRecoveryRule(), "dynamodb:DescribeTable",
                "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups", "sns:Publish", "dynamodb:PutItem");
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private static final PointInTimeRecoveryRule RULE = new PointInTimeRecoveryRule();

    private JsonNode invoke(Map<String, String> overrides, String sample) throws Exception {
        return Harness.invoke(new WardenHandler(RULE, Services.create(harness.settings(overrides))), Project.event(sample));
    }

    private void pitr(String table, boolean enabled, int days) {
        harness.estate.dynamo().updateContinuousBackups(r -> r.tableName(table).pointInTimeRecoverySpecification(s -> {
            s.pointInTimeRecoveryEnabled(enabled);
            if (enabled) {
                s.recoveryPeriodInDays(days);
            }
        }));
    }

    private PointInTimeRecoveryDescription pitrOf(String table) {
        return harness.estate.dynamo().describeContinuousBackups(r -> r.tableName(table))
                .continuousBackupsDescription().pointInTimeRecoveryDescription();
    }

    @Test
    void pitrTurnedOff_shouldBeTurnedBackOnFor35Days_recordedAndAlertedHigh() throws Exception {
        // GIVEN payments, whose PITR was just turned off
        harness.estate.createTable("payments", true);

        // WHEN the UpdateContinuousBackups event arrives
        JsonNode result = invoke(Map.of(), "update-continuous-backups-off.json");

        // THEN PITR is on again for 35 days, the ledger holds both states, and the alert says what the gap means
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(pitrOf("payments").pointInTimeRecoveryStatus()).isEqualTo(PointInTimeRecoveryStatus.ENABLED);
        assertThat(pitrOf("payments").recoveryPeriodInDays()).isEqualTo(35);
        assertThat(harness.estate.ledgerItems()).singleElement().satisfies(entry -> {
            assertThat(entry.get("stateBefore").s()).contains("Pitr[enabled=false");
            assertThat(entry.get("stateAfter").s()).contains("Pitr[enabled=true, recoveryPeriodDays=35");
        });
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[HIGH]").contains("payments");
            assertThat(alert.path("Message").asText()).contains("Turned point-in-time recovery on with a 35-day recovery period")
                    .contains("The restore window restarted").contains("On-demand backups and AWS Backup recovery points");
            assertThat(alert.at("/MessageAttributes/rule/Value").asText()).isEqualTo("point-in-time-recovery");
        });
    }

    @Test
    void periodBelowMinPitrDays_shouldBeSetTo35() throws Exception {
        harness.estate.createTable("payments", true);
        pitr("payments", true, 3);

        JsonNode result = invoke(Map.of("MIN_PITR_DAYS", "7"), "update-continuous-backups-shortened.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(pitrOf("payments").recoveryPeriodInDays()).isEqualTo(35);
    }

    @Test
    void pitrTurnedOff_shouldComeBackWithThePeriodTheLedgerLastSaw_notAlways35() throws Exception {
        // GIVEN payments with a 3-day period, which the rule found compliant (MIN_PITR_DAYS 1) and remembered
        harness.estate.createTable("payments", true);
        pitr("payments", true, 3);
        JsonNode seen = invoke(Map.of(), "update-continuous-backups-shortened.json");
        assertThat(seen.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        pitr("payments", false, 0);

        // WHEN PITR is turned off
        JsonNode result = invoke(Map.of(), "update-continuous-backups-off.json");

        // THEN it comes back with the 3 days it had, and the ledger's memory is not counted as a decision
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(pitrOf("payments").recoveryPeriodInDays()).isEqualTo(3);
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> assertThat(alert.path("Message").asText())
                .contains("Turned point-in-time recovery on with a 3-day recovery period")
                .contains("restores the 3-day recovery period ddb-warden last saw"));
    }

    @Test
    void pitrTurnedOn_shouldChangeNothing_andSendNoAlert() throws Exception {
        harness.estate.createTable("orders", true);
        pitr("orders", true, 35);

        JsonNode result = invoke(Map.of(), "update-continuous-backups-enabled.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void notifyMode_shouldLeavePitrOff_butAlertWithTheCommand() throws Exception {
        harness.estate.createTable("payments", true);

        JsonNode result = invoke(Map.of("REMEDIATION_MODE", "notify"), "update-continuous-backups-off.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        assertThat(pitrOf("payments").pointInTimeRecoveryStatus()).isEqualTo(PointInTimeRecoveryStatus.DISABLED);
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> assertThat(alert.path("Message").asText())
                .contains("update-continuous-backups").contains("RecoveryPeriodInDays=35"));
    }

    @Test
    void ruleModes_shouldCapTheRule_notifyNeverFixing_offDoingNothing() throws Exception {
        harness.estate.createTable("payments", true);

        JsonNode notify = invoke(Map.of("RULE_MODES", "point-in-time-recovery=notify"), "update-continuous-backups-off.json");
        JsonNode off = invoke(Map.of("RULE_MODES", "point-in-time-recovery=off"), "update-continuous-backups-shortened.json");

        assertThat(notify.at("/results/0/action").asText()).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        assertThat(off.at("/results/0/action").asText()).isEqualTo("SKIPPED_RULE_OFF");
        assertThat(pitrOf("payments").pointInTimeRecoveryStatus()).isEqualTo(PointInTimeRecoveryStatus.DISABLED);
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Message").asText()).contains("RULE_MODES"));
    }

    @Test
    void exemptTable_shouldBeLeftAlone_withoutAlert() throws Exception {
        harness.estate.createTable("payments", true);

        JsonNode result = invoke(Map.of("EXEMPT_TABLES", "pay*"), "update-continuous-backups-off.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("SKIPPED_EXEMPT");
        assertThat(pitrOf("payments").pointInTimeRecoveryStatus()).isEqualTo(PointInTimeRecoveryStatus.DISABLED);
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void restoredTableWithoutPitr_shouldOnlyBeReported_byDefault() throws Exception {
        harness.estate.createTable("orders-restored", true);

        JsonNode result = invoke(Map.of(), "restore-table-to-point-in-time.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(pitrOf("orders-restored").pointInTimeRecoveryStatus()).isEqualTo(PointInTimeRecoveryStatus.DISABLED);
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Subject").asText()).startsWith("[LOW]"));
    }

    @Test
    void awsBackupRestoreWithoutPitr_shouldGetIt_whenPitrOnNewTablesIsRemediate() throws Exception {
        harness.estate.createTable("payments-restored", true);

        JsonNode result = invoke(Map.of("PITR_ON_NEW_TABLES", "remediate"), "backup-restore-completed.json");

        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(pitrOf("payments-restored").recoveryPeriodInDays()).isEqualTo(35);
    }

    @Test
    void fix_shouldTurnPitrOn_andReportTheNewWindowFromTheAnswer() {
        // GIVEN the table as the rule's reader sees it, PITR off
        harness.estate.createTable("ledger-copy", true);
        RegionalDynamo dynamo = RegionalDynamo.single(harness.estate.dynamo());
        Sleeper none = duration -> { };
        TableState read = new TableReader(dynamo, none, RULE.augments())
                .read(new TableRef("aws", LocalAws.REGION, LocalAws.ACCOUNT, "ledger-copy")).orElseThrow();
        Fixes fixes = new Fixes(RULE.fixes(new FixContext(dynamo, hold -> { }, Clock.systemUTC())));

        // WHEN
        Outcome outcome = fixes.apply(new PitrRemedy.EnablePitr(35), read);

        // THEN the answer's description is the state after, and the live table agrees
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        PointInTimeRecoveryRule.Pitr after = outcome.after().orElseThrow().augment(PointInTimeRecoveryRule.Pitr.class).orElseThrow();
        assertThat(after.enabled()).isTrue();
        assertThat(after.recoveryPeriodDays()).isEqualTo(35);
        assertThat(pitrOf("ledger-copy").recoveryPeriodInDays()).isEqualTo(35);
        assertThat(outcome.description()).contains("restore window restarted");
    }
}
