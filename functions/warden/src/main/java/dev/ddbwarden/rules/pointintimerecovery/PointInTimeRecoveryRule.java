package dev.ddbwarden.rules.pointintimerecovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.LastSeen;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every table keeps point-in-time recovery (PITR) on, for at least MIN_PITR_DAYS days. Turning it off or
 * shortening it below that is undone (HIGH); a table created, restored or imported without it gets what
 * PITR_ON_NEW_TABLES says, decided once the table is ACTIVE. The sweep cannot tell a table that lost PITR
 * from one that never had it, so a table it finds without PITR is treated as new, except that notify stays
 * silent there: its owner was told when the table was made, and an alert per such table every sweep (four
 * a day by default) would bury the ones that matter.
 *
 * <p>The fix restores the period before the change, which the event does not carry (UpdateContinuousBackups
 * answers with the description after the call): the period this rule last found on the table, remembered in
 * the ledger. Without one, or with one below MIN_PITR_DAYS, it restores 35 days, DynamoDB's longest and its
 * default: AWS charges PITR by table size whatever the period, so 35 days never costs more and never restores
 * less than the table had.
 */
public final class PointInTimeRecoveryRule implements Rule {
    public static final String RULE = "point-in-time-recovery";
    /** DynamoDB's longest recovery period and its default: what a fix restores. */
    static final int LONGEST_PERIOD_DAYS = 35;
    static final String UPDATE_CONTINUOUS_BACKUPS = "UpdateContinuousBackups";
    private static final String SPECIFICATION = "pointInTimeRecoverySpecification";
    /** The fact this rule remembers of a table: its recovery period while PITR was on and long enough. */
    static final String PERIOD_FACT = "pitrDays";
    /** The calls that make a table, whose PITR starts off. */
    private static final List<String> NEW_TABLE_CALLS = List.of("CreateTable", "RestoreTableFromBackup",
            "RestoreTableToPointInTime", "ImportTable", ApiCall.BACKUP_RESTORE);
    private static final List<Trigger> TRIGGERS = List.of(Trigger.on(UPDATE_CONTINUOUS_BACKUPS), Trigger.on("CreateTable"),
            Trigger.on("RestoreTableFromBackup"), Trigger.on("RestoreTableToPointInTime"), Trigger.on("ImportTable"),
            Trigger.from(Trigger.BACKUP, ApiCall.BACKUP_RESTORE));
    /** Fewest days of PITR a table may keep: 1 to 35, default 1 (only PITR turned off is a violation). */
    public static final RuleSetting<Integer> MIN_PITR_DAYS = RuleSetting.integer("MIN_PITR_DAYS", 1, 1, LONGEST_PERIOD_DAYS);
    /** What a table made without PITR gets: remediate, notify (default: PITR costs money, owners choose) or off. */
    public static final RuleSetting<String> PITR_ON_NEW_TABLES = new RuleSetting<>("PITR_ON_NEW_TABLES", raw -> {
        String word = raw.toLowerCase(Locale.ROOT);
        if (!List.of("remediate", "notify", "off").contains(word)) {
            throw new ConfigException("PITR_ON_NEW_TABLES", "'" + raw + "' is not remediate, notify or off");
        }
        return word;
    }, "notify");
    private static final String GAP = "Nothing can be restored to any moment before the window's new start: the "
            + "continuous backups of the time before are gone. On-demand backups and AWS Backup recovery points "
            + "are not affected and still serve for that time.";

    /**
     * PITR as DescribeContinuousBackups tells it: the state this rule reads beyond {@link TableState}.
     *
     * @param recoveryPeriodDays 0 when PITR is off
     * @param earliestRestorable the start of the restore window, when PITR is on and DynamoDB says it
     */
    public record Pitr(boolean enabled, int recoveryPeriodDays, Optional<Instant> earliestRestorable) {
        /** PITR off, as DynamoDB describes a table without it. */
        public static Pitr off() {
            return new Pitr(false, 0, Optional.empty());
        }
    }

    /** What the point-in-time-recovery rule can ask to be done, besides an alert. */
    public sealed interface PitrRemedy extends Remedy {

        /** UpdateContinuousBackups(PointInTimeRecoveryEnabled=true, RecoveryPeriodInDays=days). */
        record EnablePitr(int recoveryPeriodDays) implements PitrRemedy {
            @Override
            public boolean changesTable() {
                return true;
            }

            @Override
            public String done() {
                return "Turned point-in-time recovery on with a " + recoveryPeriodDays
                        + "-day recovery period (UpdateContinuousBackups).";
            }

            @Override
            public String manualStep(TableRef table) {
                return "aws dynamodb update-continuous-backups --region " + table.region() + " --table-name " + table.arn()
                        + " --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true,RecoveryPeriodInDays="
                        + recoveryPeriodDays;
            }
        }
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "PointInTimeRecoveryFunction";
    }

    @Override
    public List<RuleSetting<?>> settings() {
        return List.of(MIN_PITR_DAYS, PITR_ON_NEW_TABLES);
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    @Override
    public Set<String> tableActions() {
        return TableReader.actionsWith("dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups");
    }

    @Override
    public List<Augment<?>> augments() {
        return List.of(new ContinuousBackupsAugment());
    }

    @Override
    public Set<String> remembers() {
        return Set.of(PERIOD_FACT);
    }

    @Override
    public Map<String, String> toRemember(TableState compliant) {
        return compliant.augment(Pitr.class).filter(Pitr::enabled)
                .map(pitr -> Map.of(PERIOD_FACT, Integer.toString(pitr.recoveryPeriodDays()))).orElse(Map.of());
    }

    @Override
    public Class<PitrRemedy> remedies() {
        return PitrRemedy.class;
    }

    @Override
    public List<Fix<?>> fixes(FixContext context) {
        return List.<Fix<?>>of(new EnablePitrFix(context.dynamo()));
    }

    /**
     * A new table is decided once it is ACTIVE; an UpdateContinuousBackups once the live state shows what it
     * asked (DescribeContinuousBackups may answer with the state before for a moment).
     */
    @Override
    public boolean isCurrent(ApiCall call, TableState state) {
        if (NEW_TABLE_CALLS.contains(call.eventName())) {
            return "ACTIVE".equals(state.status());
        }
        if (!UPDATE_CONTINUOUS_BACKUPS.equals(call.eventName())) {
            return true;
        }
        JsonNode asked = call.requestParameters().path(SPECIFICATION);
        Optional<Pitr> live = state.augment(Pitr.class);
        if (live.isEmpty() || !asked.path("pointInTimeRecoveryEnabled").isBoolean()) {
            return true;
        }
        boolean enabled = asked.path("pointInTimeRecoveryEnabled").asBoolean();
        JsonNode days = asked.path("recoveryPeriodInDays");
        return live.get().enabled() == enabled
                && (!enabled || !days.canConvertToInt() || live.get().recoveryPeriodDays() == days.asInt());
    }

    /** A table still CREATING has not had the chance to get PITR: it waits for the re-check queue. */
    @Override
    public boolean mayDecideOnStaleState(ApiCall call) {
        return !NEW_TABLE_CALLS.contains(call.eventName());
    }

    @Override
    public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings,
                                  Instant now) {
        Optional<Pitr> read = state.flatMap(s -> s.augment(Pitr.class));
        if (read.isEmpty()) {
            return List.of();
        }
        Pitr pitr = read.get();
        if (pitr.enabled() && pitr.recoveryPeriodDays() >= MIN_PITR_DAYS.in(settings)) {
            return List.of();
        }
        if (!pitr.enabled() && !UPDATE_CONTINUOUS_BACKUPS.equals(call.eventName())) {
            return withoutPitr(call, table, settings);
        }
        Optional<Integer> before = periodBefore(state.get(), settings);
        return List.of(new Finding(RULE, Severity.HIGH, table, pitr.enabled() ? "point-in-time recovery shortened"
                : "point-in-time recovery off", turnedDown(call, table, pitr, settings) + restored(before),
                new PitrRemedy.EnablePitr(before.orElse(LONGEST_PERIOD_DAYS))));
    }

    /**
     * The period ddb-warden last found on the table when PITR was on, if the ledger remembers one that still
     * meets MIN_PITR_DAYS and DynamoDB's range: a remembered value may restore, never weaken.
     */
    private static Optional<Integer> periodBefore(TableState state, Settings settings) {
        return state.augment(LastSeen.class).flatMap(seen -> seen.fact(PERIOD_FACT)).flatMap(days -> {
            try {
                return Optional.of(Integer.parseInt(days));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).filter(days -> days >= MIN_PITR_DAYS.in(settings) && days <= LONGEST_PERIOD_DAYS);
    }

    private static String restored(Optional<Integer> before) {
        return before.map(days -> " The fix restores the " + days + "-day recovery period ddb-warden last saw on the table.")
                .orElse(" ddb-warden knows no earlier period of the table that meets MIN_PITR_DAYS: the fix restores "
                        + LONGEST_PERIOD_DAYS + " days, DynamoDB's longest, which costs no more.");
    }

    private static String turnedDown(ApiCall call, TableRef table, Pitr pitr, Settings settings) {
        String what = pitr.enabled()
                ? "Point-in-time recovery on table " + table.name() + " keeps only " + pitr.recoveryPeriodDays()
                        + " day(s), fewer than the " + MIN_PITR_DAYS.in(settings) + " MIN_PITR_DAYS asks,"
                : "Point-in-time recovery is off on table " + table.name() + ",";
        return what + " after " + call.eventName() + " by " + call.actor().describe() + ". Turning PITR off deletes "
                + "its continuous backups, and shortening the period drops the days beyond it: the restore window "
                + "restarts when PITR is turned back on. " + GAP;
    }

    /** PITR_ON_NEW_TABLES: PITR costs money, so whether a new table has it is by default its owner's choice. */
    private static List<Finding> withoutPitr(ApiCall call, TableRef table, Settings settings) {
        boolean sweep = call.isSweep();
        String detail = "Table " + table.name() + " has no point-in-time recovery"
                + (sweep ? " (found by the sweep)" : " after " + call.eventName()
                + " by " + call.actor().describe()) + ": no restore to a moment before the next on-demand or AWS Backup"
                + " backup is possible. PITR is charged by table size, whatever its recovery period.";
        return switch (PITR_ON_NEW_TABLES.in(settings)) {
            case "off" -> List.of();
            case "remediate" -> List.of(new Finding(RULE, Severity.MEDIUM, table, "point-in-time recovery off",
                    detail + " PITR_ON_NEW_TABLES=remediate turns it on.", new PitrRemedy.EnablePitr(LONGEST_PERIOD_DAYS)));
            default -> sweep ? List.of() : List.of(new Finding(RULE, Severity.LOW, table, "point-in-time recovery off", detail
                    + " PITR_ON_NEW_TABLES=notify leaves the choice to the table's owner.", new Remedy.AlertOnly(
                    new PitrRemedy.EnablePitr(LONGEST_PERIOD_DAYS).manualStep(table))));
        };
    }
}
