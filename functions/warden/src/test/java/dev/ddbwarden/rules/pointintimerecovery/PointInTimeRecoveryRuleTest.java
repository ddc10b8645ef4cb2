package dev.ddbwarden.rules.pointintimerecovery;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.pointintimerecovery.PointInTimeRecoveryRule.PitrRemedy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure check on the samples in events/, as EventBridge delivers them. */
class PointInTimeRecoveryRuleTest {
    private static final Instant NOW = Instant.parse("2024-05-14T09:40:30Z");
    private static final Settings DEFAULTS = Settings.from(name -> null);
    private static final PointInTimeRecoveryRule.Pitr ON_35 =
            new PointInTimeRecoveryRule.Pitr(true, 35, Optional.of(Instant.parse("2024-04-09T09:40:27Z")));
    private static final PointInTimeRecoveryRule.Pitr ON_3 = new PointInTimeRecoveryRule.Pitr(true, 3, Optional.empty());

    private final PointInTimeRecoveryRule rule = new PointInTimeRecoveryRule();

    /** Settings as a function reads them, the rules' own lines carried. */
    private static Settings settings(String name, String value) {
        return Settings.from(Map.of(name, value)::get, Rules.settingNames());
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private static TableRef tableOf(ApiCall call) {
        return TableLocator.locate(call).orElseThrow();
    }

    private static Optional<TableState> live(TableRef table, String status, PointInTimeRecoveryRule.Pitr pitr) {
        return Optional.of(new TableState(table, status, true, Map.of(), "").withAugment(PointInTimeRecoveryRule.Pitr.class, pitr));
    }

    private List<Finding> evaluate(String file, PointInTimeRecoveryRule.Pitr pitr, Settings settings) throws IOException {
        ApiCall call = sample(file);
        return rule.evaluate(call, tableOf(call), live(tableOf(call), "ACTIVE", pitr), settings, NOW);
    }

    @Test
    void evaluate_shouldAskForPitrBackFor35Days_HIGH_whenUpdateContinuousBackupsTurnedItOff() throws IOException {
        // WHEN
        List<Finding> findings = evaluate("update-continuous-backups-off.json", PointInTimeRecoveryRule.Pitr.off(), DEFAULTS);

        // THEN
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("point-in-time-recovery");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.table().name()).isEqualTo("payments");
            assertThat(f.remedy()).isEqualTo(new PitrRemedy.EnablePitr(35));
            assertThat(f.detail()).contains("off on table payments").contains("UpdateContinuousBackups")
                    .contains("arn:aws:sts::123456789012:assumed-role/developer/alice")
                    .contains("restore window restarts").contains("On-demand backups and AWS Backup recovery points");
        });
    }

    @Test
    void evaluate_shouldFindNothing_whenTheLiveTableHasPitrBackOn() throws IOException {
        // Someone turned it back on before the event was handled: the live state decides.
        assertThat(evaluate("update-continuous-backups-off.json", ON_35, DEFAULTS)).isEmpty();
    }

    @Test
    void evaluate_shouldLetAShortPeriodBe_whenMinPitrDaysIsItsDefaultOfOne() throws IOException {
        assertThat(evaluate("update-continuous-backups-shortened.json", ON_3, DEFAULTS)).isEmpty();
    }

    @Test
    void evaluate_shouldAskFor35Days_HIGH_whenThePeriodIsBelowMinPitrDays() throws IOException {
        Settings week = settings("MIN_PITR_DAYS", "7");

        assertThat(evaluate("update-continuous-backups-shortened.json", ON_3, week)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo("point-in-time recovery shortened");
            assertThat(f.detail()).contains("keeps only 3 day(s), fewer than the 7 MIN_PITR_DAYS asks");
            assertThat(f.remedy()).isEqualTo(new PitrRemedy.EnablePitr(35));
        });
    }

    @Test
    void evaluate_shouldFindNothing_whenPitrWasTurnedOn() throws IOException {
        assertThat(evaluate("update-continuous-backups-enabled.json", ON_35, DEFAULTS)).isEmpty();
    }

    @ParameterizedTest(name = "{0} without PITR, PITR_ON_NEW_TABLES={1}")
    @CsvSource({
            "restore-table-to-point-in-time.json, notify",
            "restore-table-from-backup.json, notify",
            "import-table.json, notify",
            "create-table-unprotected.json, notify",
            "backup-restore-completed.json, notify",
            "backup-restore-completed.json, ''"})
    void evaluate_shouldOnlyReport_LOW_whenANewTableHasNoPitr_andTheOwnerChooses(String file, String mode) throws IOException {
        Settings settings = settings("PITR_ON_NEW_TABLES", mode);

        assertThat(evaluate(file, PointInTimeRecoveryRule.Pitr.off(), settings)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(f.remedy().manualStep(f.table())).contains("update-continuous-backups")
                    .contains("PointInTimeRecoveryEnabled=true,RecoveryPeriodInDays=35");
            assertThat(f.detail()).contains("PITR_ON_NEW_TABLES=notify");
        });
    }

    @Test
    void evaluate_shouldAskForPitr_MEDIUM_whenANewTableHasNone_andPitrOnNewTablesIsRemediate() throws IOException {
        Settings settings = settings("PITR_ON_NEW_TABLES", "remediate");

        assertThat(evaluate("restore-table-to-point-in-time.json", PointInTimeRecoveryRule.Pitr.off(), settings))
                .singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                    assertThat(f.table().name()).isEqualTo("orders-restored");
                    assertThat(f.remedy()).isEqualTo(new PitrRemedy.EnablePitr(35));
                });
    }

    @Test
    void evaluate_shouldFindNothing_whenANewTableHasNoPitr_andPitrOnNewTablesIsOff() throws IOException {
        Settings settings = settings("PITR_ON_NEW_TABLES", "OFF");

        assertThat(evaluate("create-table-unprotected.json", PointInTimeRecoveryRule.Pitr.off(), settings)).isEmpty();
    }

    @Test
    void evaluate_shouldTurnPitrOnATableTheSweepFindsWithout_onlyWhenPitrOnNewTablesIsRemediate() {
        TableRef orders = TestEvents.table("orders");
        ApiCall sweep = ApiCall.sweep("s1", orders.region(), orders.accountId(), "orders", NOW);
        Optional<TableState> off = live(orders, "ACTIVE", PointInTimeRecoveryRule.Pitr.off());
        Settings remediate = settings("PITR_ON_NEW_TABLES", "remediate");

        assertThat(rule.evaluate(sweep, orders, off, remediate, NOW)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.detail()).contains("found by the sweep");
            assertThat(f.remedy()).isEqualTo(new PitrRemedy.EnablePitr(35));
        });
        // notify: the owner was told when the table was made; not again every sweep
        assertThat(rule.evaluate(sweep, orders, off, DEFAULTS, NOW)).isEmpty();
    }

    @Test
    void evaluate_shouldAskFor35Days_whenTheSweepFindsAPeriodBelowMinPitrDays() {
        TableRef orders = TestEvents.table("orders");
        ApiCall sweep = ApiCall.sweep("s1", orders.region(), orders.accountId(), "orders", NOW);
        Settings week = settings("MIN_PITR_DAYS", "7");

        assertThat(rule.evaluate(sweep, orders, live(orders, "ACTIVE", ON_3), week, NOW)).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.HIGH));
    }

    @Test
    void settings_shouldRefuseAPeriodOutsideDynamoDbsRange_andAnUnknownWord() {
        assertThatThrownBy(() -> Rules.requireSettings(settings("MIN_PITR_DAYS", "36")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("MIN_PITR_DAYS");
        assertThatThrownBy(() -> Rules.requireSettings(settings("PITR_ON_NEW_TABLES", "fix")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("PITR_ON_NEW_TABLES");
        assertThat(PointInTimeRecoveryRule.MIN_PITR_DAYS.in(DEFAULTS)).isEqualTo(1);
        assertThat(PointInTimeRecoveryRule.PITR_ON_NEW_TABLES.in(DEFAULTS)).isEqualTo("notify");
    }

    @Test
    void evaluate_shouldFindNothing_whenTheTableIsGone() throws IOException {
        ApiCall call = sample("update-continuous-backups-off.json");

        assertThat(rule.evaluate(call, tableOf(call), Optional.empty(), DEFAULTS, NOW)).isEmpty();
    }

    @Test
    void isCurrent_shouldWaitForANewTableToBeActive_andForTheLiveStateToShowTheCall() throws IOException {
        ApiCall restore = sample("restore-table-to-point-in-time.json");
        ApiCall off = sample("update-continuous-backups-off.json");
        ApiCall shortened = sample("update-continuous-backups-shortened.json");

        assertThat(rule.isCurrent(restore, live(tableOf(restore), "CREATING", PointInTimeRecoveryRule.Pitr.off()).orElseThrow())).isFalse();
        assertThat(rule.mayDecideOnStaleState(restore)).isFalse();
        assertThat(rule.isCurrent(restore, live(tableOf(restore), "ACTIVE", PointInTimeRecoveryRule.Pitr.off()).orElseThrow())).isTrue();
        // DescribeContinuousBackups may still answer with the state before the call for a moment.
        assertThat(rule.isCurrent(off, live(tableOf(off), "ACTIVE", ON_35).orElseThrow())).isFalse();
        assertThat(rule.isCurrent(off, live(tableOf(off), "ACTIVE", PointInTimeRecoveryRule.Pitr.off()).orElseThrow())).isTrue();
        assertThat(rule.isCurrent(shortened, live(tableOf(shortened), "ACTIVE", ON_35).orElseThrow())).isFalse();
        assertThat(rule.isCurrent(shortened, live(tableOf(shortened), "ACTIVE", ON_3).orElseThrow())).isTrue();
    }

    @Test
    void theRule_shouldBeRegistered_andReadContinuousBackupsOnlyForItself() {
        assertThat(Rules.byName("point-in-time-recovery")).containsInstanceOf(PointInTimeRecoveryRule.class);
        assertThat(rule.augments()).singleElement().satisfies(a ->
                assertThat(rule.tableActions()).containsAll(a.actions()));
        assertThat(Rules.all()).filteredOn(r -> r != Rules.byName("point-in-time-recovery").orElseThrow())
                .allSatisfy(r -> assertThat(r.augments()).noneMatch(a -> a.type() == PointInTimeRecoveryRule.Pitr.class));
    }
}
