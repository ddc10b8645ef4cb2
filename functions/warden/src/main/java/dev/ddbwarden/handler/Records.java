package dev.ddbwarden.handler;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.Outcomes;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** The pipeline's ledger steps that decide nothing: finishing what an earlier run left, recording no finding. */
final class Records {
    private static final Logger LOG = LoggerFactory.getLogger(Records.class);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(15);

    private final Ledger ledger;
    private final AlertSender alerts;

    Records(Ledger ledger, AlertSender alerts) {
        this.ledger = ledger;
        this.alerts = alerts;
    }

    /** Until when a run may be working on an entry: the rest of its budget, and a margin. */
    static Instant leaseEnd(Instant now, TimeBudget budget) {
        return now.plus(budget.left()).plus(LEASE_MARGIN);
    }

    /**
     * A retry after a run that died between opening its ledger entry and closing it. A compliant table
     * means the fix landed; a vanished one means nobody can tell, and the alert says so.
     */
    Result finishInterrupted(LedgerEntry entry, TableRef table, Optional<TableState> state, TimeBudget budget) {
        Alert planned = entry.alert().orElseThrow();
        Outcome.Action action = state.isPresent() ? Outcome.Action.ALREADY_COMPLIANT : Outcome.Action.TABLE_GONE;
        Alert alert = state.isPresent() ? planned : Outcomes.tableGone(planned);
        ledger.close(entry.key(), action.name(), summary(state), alert);
        LOG.info("finishing the decision an earlier attempt left open for {}: {}", table.arn(), action);
        return new Result(entry.rule(), table.arn(), entry.severity(), action.name(), alerts.send(entry.key(), alert, budget));
    }

    Result finishEarlier(LedgerEntry entry, TableRef table, TimeBudget budget) {
        if (entry.alertStatus() == LedgerEntry.AlertStatus.SENT || entry.alertStatus() == LedgerEntry.AlertStatus.NONE) {
            LOG.info("event already handled for {} ({}); nothing to do", table.arn(), entry.action());
            return Result.skipped(entry.rule(), table.arn(), "ALREADY_HANDLED");
        }
        LOG.info("sending the alert an earlier attempt left pending for {}", table.arn());
        return new Result(entry.rule(), table.arn(), entry.severity(), entry.action(),
                alerts.send(entry.key(), entry.alert().orElseThrow(), budget));
    }

    Result recordCompliant(String rule, ApiCall call, TableRef table, LedgerKey key, Optional<TableState> state, Instant now) {
        return recordWithoutAlert(rule, call, table, key, state, now,
                state.isPresent() ? "COMPLIANT" : Outcome.Action.TABLE_GONE.name());
    }

    Result recordWithoutAlert(String rule, ApiCall call, TableRef table, LedgerKey key, Optional<TableState> state,
                              Instant now, String action) {
        ledger.open(new LedgerEntry(key, rule, table.arn(), call.eventName(), call.actor().describe(), "", "",
                summary(state), "", action, LedgerEntry.Status.DONE, Optional.empty(), LedgerEntry.AlertStatus.NONE, now));
        LOG.info("{} {}: nothing to do", table.arn(), action.toLowerCase(Locale.ROOT));
        return Result.skipped(rule, table.arn(), action);
    }

    /** What the ledger keeps of a state: its summary as JSON, or nothing for a ledger that remembers nothing. */
    String summary(Optional<TableState> state) {
        if (!ledger.remembers()) {
            return "";
        }
        return state.isPresent() ? JsonText.write(state.get().summary()) : "{\"exists\":false}";
    }
}
