package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.alert.Outcomes;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.RuleModes;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * A finding carried to its end, the pipeline's last step: the outcome planned (the breaker may stop a tug of war) and
 * opened in the ledger before the fix, the fix, the entry closed with what is live, and the alert, or none for a
 * routine remedy.
 */
final class Remediation {
    private static final Logger LOG = LoggerFactory.getLogger(Remediation.class);
    /** A result's alert when a routine remedy was recorded in the ledger and nothing was published. */
    static final String ROUTINE = "not sent: routine, recorded in the ledger";

    private final Rule rule;
    private final Settings settings;
    private final TableReader reader;
    private final Ledger ledger;
    private final AlertSender alerts;
    private final Breaker breaker;
    private final Records records;
    private final RefusedFixes refusals;
    private final boolean sweeping;

    /** @param sweeping whether this is the sweep's, whose notify-mode runs say they only report */
    Remediation(Rule rule, Settings settings, TableReader reader, Ledger ledger, AlertSender alerts, Records records,
                RefusedFixes refusals, boolean sweeping) {
        this.rule = rule;
        this.settings = settings;
        this.reader = reader;
        this.ledger = ledger;
        this.alerts = alerts;
        this.breaker = new Breaker(ledger, settings.fixLimitPerHour());
        this.records = records;
        this.refusals = refusals;
        this.sweeping = sweeping;
    }

    /** The event as delivered and which re-check this is, for a fix DynamoDB refuses for now. */
    record Delivery(JsonNode event, int attempt) {
    }

    /**
     * @param state  the live state the finding was made on, with the call's facts
     * @param decide the rule's decision on a state read again during the fix, in the settings the actor's
     *               confirmation left ({@link ApprovalGate})
     */
    Result remedy(ApiCall call, Finding found, LedgerKey key, Optional<TableState> state, boolean reopened, boolean gaveUp,
                  TimeBudget budget, Instant now, Function<Optional<TableState>, Optional<Finding>> decide,
                  Delivery delivery) {
        Finding finding = found;
        String tableArn = finding.table().arn();
        Outcome planned = planned(finding, gaveUp, state);
        Optional<Breaker.Tripped> tripped = planned.action() == Outcome.Action.FIXED
                ? breaker.judge(finding, call, now) : Optional.empty();
        if (tripped.isPresent()) {
            if (!(tripped.get() instanceof Breaker.Tripped.Now trip)) {
                LOG.info("tug of war on {}: not fixing again before the hour ends", tableArn);
                return records.recordWithoutAlert(rule.name(), call, finding.table(), key, state, now,
                        Outcome.Action.BREAKER_OPEN.name());
            }
            finding = trip.finding();
            planned = trip.outcome();
        }
        Optional<Alert> plannedAlert = Optional.empty();
        Finding plannedFor = finding;
        if (!reopened && ledger.remembers()) {
            plannedAlert = Optional.of(AlertComposer.compose(finding, call, planned));
            LedgerEntry entry = new LedgerEntry(key, finding.rule(), tableArn, call.eventName(),
                    call.actor().describe(), finding.severity().name(), finding.detail(), records.summary(state), "",
                    planned.action().name(), LedgerEntry.Status.OPEN, plannedAlert, LedgerEntry.AlertStatus.PENDING, now,
                    Records.leaseEnd(now, budget));
            if (!ledger.open(entry)) {
                LOG.info("another invocation is handling {} for event {}; leaving it to that one", tableArn, call.eventId());
                return Result.skipped(finding.rule(), tableArn, "HANDLED_ELSEWHERE");
            }
        }
        Outcome outcome = planned;
        if (planned.action() == Outcome.Action.FIXED) {
            FixLoop.Applied applied = refusals.apply(finding, state.orElseThrow(), budget, decide, delivery.attempt());
            finding = applied.finding();
            outcome = applied.outcome();
            if (outcome.changedTable()) {
                breaker.count(finding, now, call.actor().describe());
            }
        }
        // A fix that was attempted may have changed the table, or found it changed: record what is live, as the
        // fix's own answers tell it, or read when they cannot.
        String after = !ledger.remembers() ? ""
                : records.summary(planned.action() == Outcome.Action.FIXED ? stateAfter(outcome, finding.table()) : state);
        // Composing is pure: a fix that went as planned has the alert planned for it.
        Alert alert = plannedAlert.isPresent() && finding.equals(plannedFor) && AlertComposer.sameAlert(outcome, planned)
                ? plannedAlert.get() : AlertComposer.compose(finding, call, outcome);
        if (routine(found, finding, outcome)) {
            ledger.closeWithoutAlert(key, outcome.action().name(), after, alert);
            LOG.info("{} {} on {}: {}, routine: recorded, not alerted", finding.severity(), finding.rule(), tableArn,
                    outcome.action());
            return new Result(finding.rule(), tableArn, finding.severity().name(), outcome.action().name(), ROUTINE);
        }
        ledger.close(key, outcome.action().name(), after, alert);
        LOG.info("{} {} on {}: {}", finding.severity(), finding.rule(), tableArn, outcome.action());
        String sent = alerts.send(key, alert, budget);
        if (outcome.action() == Outcome.Action.RETRYING) {
            refusals.schedule(call, finding.table(), delivery.event(), delivery.attempt());
        }
        return new Result(finding.rule(), tableArn, finding.severity().name(), outcome.action().name(), sent);
    }

    /**
     * A routine remedy ({@link Remedy#routine}) applied as planned to a LOW finding that a second look did not change:
     * bookkeeping, recorded and not alerted. Anything else, or more, is alerted.
     */
    private static boolean routine(Finding found, Finding finding, Outcome outcome) {
        return found.remedy().routine() && found.severity() == Severity.LOW && finding.equals(found) && outcome.changedTable();
    }

    private Optional<TableState> stateAfter(Outcome outcome, TableRef table) {
        return outcome.after().isPresent() ? outcome.after() : reader.read(table);
    }

    /** The outcome the fix is expected to have, recorded before it runs so a retry can finish the job. */
    private Outcome planned(Finding finding, boolean gaveUp, Optional<TableState> state) {
        Remedy remedy = finding.remedy();
        if (remedy instanceof Remedy.AlertOnly) {
            return new Outcome(Outcome.Action.ALERTED, remedy.done());
        }
        RuleModes.Applied mode = settings.modeOf(rule.name());
        if (!mode.remediates()) {
            return Outcomes.notifyMode(sweeping && !mode.byRule(), mode.describe());
        }
        if (gaveUp) {
            return Outcomes.gaveUp(state.map(TableState::status).orElse("changing"), settings.maxRechecks());
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done());
    }
}
