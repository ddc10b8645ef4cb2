package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.RefusedForNow;
import dev.ddbwarden.ledger.Decisions;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A fix DynamoDB refuses for longer than a run lasts ({@link RefusedForNow}: another UpdateTimeToLive within the
 * hour). The decision's own alert goes out at once, saying the fix is pending (RETRYING); the event then comes back
 * through the delayed re-check queue, each time trying the fix on the live state, until it lands, the violation is
 * gone, or the re-checks run out, when one more alert says ddb-warden gave up. The re-checks are recorded under
 * their own ledger keys, so a re-delivered event or re-check message neither starts a second chain of re-checks nor
 * sends a second alert.
 */
final class RefusedFixes {
    private static final Logger LOG = LoggerFactory.getLogger(RefusedFixes.class);
    /** The ledger's subject suffix of the re-checks' decision (and, with the attempt, of each one scheduled). */
    static final String RETRY = "-retry";

    private final Rule rule;
    private final Settings settings;
    private final TableReader reader;
    private final FixLoop fixLoop;
    private final Decisions ledger;
    private final Records records;
    private final OnceAlerts alerts;
    private final Optional<Recheck> recheck;
    private final Clock clock;

    RefusedFixes(Rule rule, Settings settings, TableReader reader, FixLoop fixLoop, Decisions ledger, Records records,
                 OnceAlerts alerts, Optional<Recheck> recheck, Clock clock) {
        this.rule = rule;
        this.settings = settings;
        this.reader = reader;
        this.fixLoop = fixLoop;
        this.ledger = ledger;
        this.records = records;
        this.alerts = alerts;
        this.recheck = recheck;
        this.clock = clock;
    }

    /** Whether a decision's fix is still pending in the re-check queue. */
    static boolean retrying(LedgerEntry entry) {
        return Outcome.Action.RETRYING.name().equals(entry.action());
    }

    /**
     * The fix loop's result, or, when DynamoDB refuses the fix for now, what the decision's alert says of it:
     * retried from the queue (RETRYING: {@link #schedule} it once the alert is out), or given up when none is left.
     */
    FixLoop.Applied apply(Finding finding, TableState state, TimeBudget budget,
                          Function<Optional<TableState>, Optional<Finding>> decide, int attempt) {
        try {
            return fixLoop.apply(finding, state, budget, decide);
        } catch (RefusedForNow refusal) {
            return new FixLoop.Applied(finding, refused(refusal, attempt));
        }
    }

    private Outcome refused(RefusedForNow refusal, int attempt) {
        if (canRecheck(attempt)) {
            return new Outcome(Outcome.Action.RETRYING, "DynamoDB refused the fix for now: " + refusal.getMessage()
                    + " ddb-warden tries again every " + settings.recheckDelaySeconds() + " seconds through its re-check"
                    + " queue, up to " + (settings.maxRechecks() - attempt) + " more time(s) (MaxRechecks,"
                    + " RecheckDelaySeconds), and alerts again only if it gives up. Meanwhile, do it by hand if you can.");
        }
        return gaveUp(refusal);
    }

    /** Sends the event to the re-check queue once per attempt, however often this run's event was delivered. */
    void schedule(ApiCall call, TableRef table, JsonNode event, int attempt) {
        int next = attempt + 1;
        LedgerKey scheduled = LedgerKey.of(call.eventId(), rule.name() + RETRY + "#" + next, table.arn());
        if (ledger.find(scheduled).isPresent()) {
            LOG.info("re-check {} of the refused fix on {} is already scheduled", next, table.arn());
            return;
        }
        // Sent before it is recorded: a run that dies between the two sends it twice, never not at all.
        recheck.orElseThrow().schedule(event, next);
        ledger.open(new LedgerEntry(scheduled, rule.name(), table.arn(), call.eventName(), call.actor().describe(), "", "",
                "", "", "RECHECK_SCHEDULED", LedgerEntry.Status.DONE, Optional.empty(), LedgerEntry.AlertStatus.NONE,
                clock.instant()));
        LOG.info("the fix on {} was refused; re-check {} of {} scheduled", table.arn(), next, settings.maxRechecks());
    }

    /**
     * A re-check of a decision whose fix was refused. The decision was made (and its actor confirmed, or not) on
     * the first run: only the live state may end it, so nobody counts as approved here.
     */
    Result again(ApiCall call, TableRef table, JsonNode event, int attempt, TimeBudget budget) {
        LedgerKey key = LedgerKey.of(call.eventId(), rule.name() + RETRY, table.arn());
        Optional<LedgerEntry> ended = ledger.find(key);
        if (ended.isPresent()) {
            return records.finishEarlier(ended.get(), table, budget);
        }
        Settings unapproved = settings.withoutTrustedActors();
        Instant now = clock.instant();
        Optional<TableState> state = reader.read(table);
        Optional<Finding> finding = first(rule.evaluate(call, table, state, unapproved, now))
                .filter(f -> !(f.remedy() instanceof Remedy.AlertOnly));
        if (finding.isEmpty()) {
            LOG.info("{} no longer needs the refused fix", table.arn());
            return records.recordWithoutAlert(rule.name(), call, table, key, state, now,
                    state.isPresent() ? Outcome.Action.ALREADY_COMPLIANT.name() : Outcome.Action.TABLE_GONE.name());
        }
        if (!settings.modeOf(rule.name()).remediates()) {
            return records.recordWithoutAlert(rule.name(), call, table, key, state, now,
                    Outcome.Action.NOT_FIXED_NOTIFY_MODE.name());
        }
        try {
            FixLoop.Applied applied = fixLoop.apply(finding.get(), state.orElseThrow(), budget,
                    fresh -> first(rule.evaluate(call, table, fresh, unapproved, now)));
            LOG.info("re-check {}: the refused fix on {} is {}", attempt, table.arn(), applied.outcome().action());
            return records.recordWithoutAlert(rule.name(), call, table, key,
                    applied.outcome().after().isPresent() ? applied.outcome().after() : state, now,
                    applied.outcome().action().name());
        } catch (RefusedForNow refusal) {
            if (canRecheck(attempt)) {
                schedule(call, table, event, attempt);
                return Result.skipped(rule.name(), table.arn(), "DEFERRED");
            }
            LOG.warn("the fix on {} was refused through every re-check; giving up", table.arn());
            String sent = alerts.send(key, finding.get(), call, gaveUp(refusal).description(), budget);
            return new Result(rule.name(), table.arn(), finding.get().severity().name(), Outcome.Action.GAVE_UP.name(), sent);
        }
    }

    private Outcome gaveUp(RefusedForNow refusal) {
        return new Outcome(Outcome.Action.GAVE_UP, "DynamoDB refused the fix through every re-check ddb-warden had ("
                + settings.maxRechecks() + ", MaxRechecks): " + refusal.getMessage() + " ddb-warden gave up; do it by hand.");
    }

    private boolean canRecheck(int attempt) {
        return attempt < settings.maxRechecks() && recheck.isPresent();
    }

    private static Optional<Finding> first(List<Finding> findings) {
        return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0));
    }
}
