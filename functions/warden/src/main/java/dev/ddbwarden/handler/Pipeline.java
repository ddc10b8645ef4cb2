package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.check.Check;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.config.RuleModes;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.fix.StateMoved;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.state.Backoff;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import dev.ddbwarden.state.TrailHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steps every rule shares: read the live state, check, fix, record, alert. The ledger entry is
 * opened before the fix and closed after it, so a run that dies anywhere is finished by its retry and
 * a re-delivered event does nothing twice.
 */
final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** Reads made while the live state does not yet show what the call did (eventual consistency). */
    private static final int CONSISTENCY_READS = 4;
    /** Decisions made on a resource that keeps changing underneath before leaving it to Lambda's retry. */
    private static final int MAX_DECISIONS = 3;
    private static final Duration BUSY_FIRST_WAIT = Duration.ofSeconds(2);
    private static final Duration BUSY_LONGEST_WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(15);

    private final Check check;
    private final Settings settings;
    private final TableReader reader;
    private final Fixes fixes;
    private final Ledger ledger;
    private final AlertPublisher publisher;
    private final AlertSender alerts;
    private final Optional<Recheck> recheck;
    private final Clock clock;
    private final Sleeper sleeper;
    private final TrailHistory history;
    private final ApprovalGate approvals;
    private final TagExemptions exemptions;
    /** The sweep skips a table that is still changing: the event that changed it brings it back. */
    private final boolean sweeping;

    /** @param history CloudTrail's record, which confirms who acted before a decision turns on it */
    Pipeline(Check check, Settings settings, TableReader reader, Fixes fixes, Ledger ledger, AlertPublisher publisher,
             Optional<Recheck> recheck, Clock clock, Sleeper sleeper, TrailHistory history) {
        this(check, settings, reader, fixes, ledger, publisher, recheck, clock, sleeper, history, false);
    }

    private Pipeline(Check check, Settings settings, TableReader reader, Fixes fixes, Ledger ledger,
                     AlertPublisher publisher, Optional<Recheck> recheck, Clock clock, Sleeper sleeper,
                     TrailHistory history, boolean sweeping) {
        this.check = check;
        this.settings = settings;
        this.reader = reader;
        this.fixes = fixes;
        this.ledger = ledger;
        this.publisher = publisher;
        this.alerts = new AlertSender(ledger, publisher, clock, sleeper);
        this.recheck = recheck;
        this.clock = clock;
        this.sleeper = sleeper;
        this.history = history;
        OnceAlerts once = new OnceAlerts(ledger, alerts, clock);
        this.approvals = new ApprovalGate(check, settings, history, once);
        this.exemptions = new TagExemptions(ledger, once);
        this.sweeping = sweeping;
    }

    /** The same pipeline in other settings, for the sweep (whose report-only runs are notify mode). */
    Pipeline forSweep(Settings sweepSettings) {
        return new Pipeline(check, sweepSettings, reader, fixes, ledger, publisher, Optional.empty(), clock, sleeper, history,
                true);
    }

    /**
     * @param event   the event as delivered, handed to the re-check queue when the table is still changing
     * @param attempt 0 for a first delivery, n for the n-th delayed re-check
     */
    List<Result> process(ApiCall call, JsonNode event, int attempt, TimeBudget budget) {
        List<TableRef> tables = check.subjects(call);
        if (tables.isEmpty()) {
            LOG.warn("{} names no table ddb-warden can read; nothing to do", call.eventName());
            return List.of();
        }
        RuleModes.Applied mode = settings.modeOf(check.rule());
        if (mode.off()) {
            LOG.info("{}: {} is not acted on", mode.describe(), call.eventName());
            return tables.stream().map(table -> Result.skipped(check.rule(), table.arn(), "SKIPPED_RULE_OFF")).toList();
        }
        List<Result> results = new ArrayList<>(tables.size());
        for (TableRef table : tables) {
            results.add(handle(call, table, event, attempt, budget));
        }
        return List.copyOf(results);
    }

    private Result handle(ApiCall call, TableRef table, JsonNode event, int attempt, TimeBudget budget) {
        String rule = check.rule();
        if (!table.accountId().equals(call.accountId())) {
            LOG.warn("{} is in account {}, not this account {}; skipped", table.arn(), table.accountId(), call.accountId());
            return Result.skipped(rule, table.arn(), "SKIPPED_OTHER_ACCOUNT");
        }
        if (check.honoursExemptions() && settings.isExempt(table.name())) {
            LOG.info("{} is exempt (EXEMPT_TABLES={}); no action, no alert", table.name(), settings.exemptTables());
            return Result.skipped(rule, table.arn(), "SKIPPED_EXEMPT");
        }
        LedgerKey key = LedgerKey.of(call.eventId(), rule, table.arn());
        Optional<LedgerEntry> earlier = ledger.find(key);
        if (earlier.isPresent() && earlier.get().status() == LedgerEntry.Status.DONE) {
            return finishEarlier(earlier.get(), table, budget);
        }
        Instant now = clock.instant();
        if (earlier.isPresent() && !ledger.takeOver(key, now, leaseEnd(now, budget))) {
            // Thrown, not dropped: if the holder died without releasing its lease, Lambda's retry (after the
            // lease) finishes the job; if it lives, the retry finds the decision done.
            throw new StillLeased("another invocation holds the decision on " + table.arn() + " for event "
                    + call.eventId() + "; Lambda's retry will find it done or take it over");
        }

        Optional<TableState> state = reader.read(table);
        if (state.isEmpty() && check.awaitsTable(call, table, settings) && canRecheck(attempt)) {
            return defer(event, attempt, table, "does not exist yet");
        }
        if (state.isPresent() && !check.isCurrent(call, state.get())) {
            state = reader.readUntil(table, state, budget, s -> check.isCurrent(call, s), CONSISTENCY_READS);
            if (state.isPresent() && !check.isCurrent(call, state.get()) && !check.mayDecideOnStaleState(call)) {
                if (canRecheck(attempt)) {
                    return defer(event, attempt, table, "does not show what " + call.eventName() + " wrote yet");
                }
                throw new StateNotVisible(call.eventName() + " on " + table.arn()
                        + " is still not visible in the live state; leaving it to Lambda's retry");
            }
        }
        Optional<Settings> judged = approvals.settingsFor(call, table, state, now, canRecheck(attempt), budget);
        if (judged.isEmpty()) {
            return defer(event, attempt, table, "waits for CloudTrail's record to confirm who made " + call.eventName());
        }
        Settings decided = judged.get();
        Optional<Finding> finding = evaluate(call, table, state, decided, now);
        Optional<String> exempt = exemptions.skip(check, call, table, state, finding, earlier.isPresent(), decided, now, budget);
        if (exempt.isPresent()) {
            return Result.skipped(rule, table.arn(), exempt.get());
        }
        boolean gaveUp = false;
        if (finding.isPresent() && mustWait(finding.get(), state)) {
            state = reader.readSettled(table, state, budget);
            finding = evaluate(call, table, state, decided, now);
            if (finding.isPresent() && mustWait(finding.get(), state)) {
                if (sweeping) {
                    LOG.info("{} is still {}; the sweep leaves it to the event that changed it", table.name(),
                            state.get().status());
                    return Result.skipped(rule, table.arn(), "SKIPPED_CHANGING");
                }
                if (canRecheck(attempt)) {
                    return defer(event, attempt, table, "is still " + state.get().status());
                }
                gaveUp = true;
            }
        }

        if (finding.isEmpty()) {
            return earlier.isPresent()
                    ? finishInterrupted(earlier.get(), table, state, budget)
                    : recordCompliant(call, table, key, state, now);
        }
        try {
            return remedy(call, finding.get(), key, state, earlier.isPresent(), gaveUp, budget, now, decided);
        } catch (RuntimeException e) {
            // Lambda's retry comes within minutes: it must not find the entry still leased to this failed run.
            ledger.releaseLease(key);
            throw e;
        }
    }

    private boolean canRecheck(int attempt) {
        return attempt < settings.maxRechecks() && recheck.isPresent();
    }

    /** Hands the event to the delayed re-check queue: the table needs longer than this invocation has. */
    private Result defer(JsonNode event, int attempt, TableRef table, String why) {
        recheck.orElseThrow().schedule(event, attempt + 1);
        LOG.info("{} {}; re-check {} of {} scheduled", table.name(), why, attempt + 1, settings.maxRechecks());
        return Result.skipped(check.rule(), table.arn(), "DEFERRED");
    }

    /** @param decided the settings as the actor's confirmation left them ({@link ApprovalGate}) */
    private Optional<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings decided,
                                       Instant now) {
        List<Finding> findings = check.evaluate(call, table, state, decided, now);
        return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0));
    }

    private boolean mustWait(Finding finding, Optional<TableState> state) {
        return settings.modeOf(check.rule()).remediates() && finding.remedy().changesTable()
                && state.isPresent() && !state.get().settled();
    }

    private Result remedy(ApiCall call, Finding found, LedgerKey key, Optional<TableState> state,
                          boolean reopened, boolean gaveUp, TimeBudget budget, Instant now, Settings decided) {
        Finding finding = found;
        String tableArn = finding.table().arn();
        Outcome planned = planned(finding, gaveUp, state);
        String window = ledger.remembers() ? TugOfWar.window(now) : "";
        if (planned.action() == Outcome.Action.FIXED && ledger.remembers()) {
            Ledger.FixCount count = ledger.fixesIn(finding.rule(), tableArn, window);
            if (count.fixes() >= settings.fixLimitPerHour()) {
                if (!ledger.tripBreaker(finding.rule(), tableArn, window)) {
                    LOG.info("tug of war on {}: not fixing again before the hour ends", tableArn);
                    return recordWithoutAlert(call, finding.table(), key, state, now, Outcome.Action.BREAKER_OPEN.name());
                }
                finding = TugOfWar.finding(finding, count, call, now, settings.fixLimitPerHour());
                planned = TugOfWar.outcome(count, now, settings.fixLimitPerHour());
            }
        }
        Optional<Alert> plannedAlert = Optional.empty();
        Finding plannedFor = finding;
        if (!reopened && ledger.remembers()) {
            plannedAlert = Optional.of(AlertComposer.compose(finding, call, planned));
            LedgerEntry entry = new LedgerEntry(key, finding.rule(), tableArn, call.eventName(),
                    call.actor().describe(), finding.severity().name(), finding.detail(), summary(state), "",
                    planned.action().name(), LedgerEntry.Status.OPEN, plannedAlert, LedgerEntry.AlertStatus.PENDING, now,
                    leaseEnd(now, budget));
            if (!ledger.open(entry)) {
                LOG.info("another invocation is handling {} for event {}; leaving it to that one", tableArn, call.eventId());
                return Result.skipped(finding.rule(), tableArn, "HANDLED_ELSEWHERE");
            }
        }
        Outcome outcome = planned;
        if (planned.action() == Outcome.Action.FIXED) {
            Applied applied = apply(call, finding, state.orElseThrow(), budget, now, decided);
            finding = applied.finding();
            outcome = applied.outcome();
            if (outcome.changedTable() && ledger.remembers()) {
                ledger.countFix(finding.rule(), tableArn, window, call.actor().describe());
            }
        }
        // A fix that was attempted may have changed the table, or found it changed: record what is live, as the
        // fix's own answers tell it, or read when they cannot.
        String after = !ledger.remembers() ? ""
                : summary(planned.action() == Outcome.Action.FIXED ? stateAfter(outcome, finding.table()) : state);
        // Composing is pure: a fix that went as planned has the alert planned for it.
        Alert alert = plannedAlert.isPresent() && finding.equals(plannedFor) && AlertComposer.sameAlert(outcome, planned)
                ? plannedAlert.get() : AlertComposer.compose(finding, call, outcome);
        ledger.close(key, outcome.action().name(), after, alert);
        LOG.info("{} {} on {}: {}", finding.severity(), finding.rule(), tableArn, outcome.action());
        return new Result(finding.rule(), tableArn, finding.severity().name(), outcome.action().name(),
                alerts.send(key, alert, budget));
    }

    private Optional<TableState> stateAfter(Outcome outcome, TableRef table) {
        return outcome.after().isPresent() ? outcome.after() : reader.read(table);
    }

    /**
     * Applies the remedy. A resource that changed underneath (a conditional write refused) is read and
     * decided again, a bounded number of times; a resource DynamoDB will not change yet is retried after
     * the wait it asks for while the budget allows. Past either bound the error is thrown, the ledger
     * entry stays open, and Lambda's retry takes over.
     */
    private Applied apply(ApiCall call, Finding found, TableState read, TimeBudget budget, Instant now, Settings decided) {
        Finding reported = found;
        Remedy pending = found.remedy();
        TableState state = read;
        Backoff backoff = new Backoff(BUSY_FIRST_WAIT, BUSY_LONGEST_WAIT);
        int decisions = 1;
        boolean progressed = false;
        // Set once part of the remedy was applied to a state that was not read again since: the fix's
        // account of the state after it would then miss that part.
        boolean partlyUnread = false;
        while (true) {
            try {
                Outcome outcome = fixes.apply(pending, state);
                return new Applied(reported, partlyUnread ? outcome.withoutAfter() : outcome);
            } catch (StateMoved e) {
                if (++decisions > MAX_DECISIONS) {
                    throw e;
                }
                LOG.info("{}; reading and deciding again", e.getMessage());
                Optional<TableState> fresh = reader.read(found.table());
                Optional<Finding> again = evaluate(call, found.table(), fresh, decided, now);
                if (fresh.isEmpty()) {
                    return new Applied(reported, new Outcome(Outcome.Action.TABLE_GONE,
                            "The table was deleted before ddb-warden could finish."));
                }
                progressed = progressed || e.progressMade();
                if (again.isEmpty()) {
                    return new Applied(reported, progressed
                            ? new Outcome(Outcome.Action.FIXED, reported.remedy().done(), fresh.get())
                            : new Outcome(Outcome.Action.ALREADY_COMPLIANT, "Someone else made the table compliant first.",
                                    fresh.get()));
                }
                // What this run already changed stays in the alert, so that its owner can still restore it.
                reported = progressed ? reported.alongWith(again.get()) : again.get();
                pending = again.get().remedy();
                state = fresh.get();
                partlyUnread = false;
            } catch (ResourceBusy e) {
                Duration wait = longer(e.retryAfter(), backoff.next());
                if (!budget.allows(wait)) {
                    throw e;
                }
                LOG.info("{}; trying again in {} ms", e.getMessage(), wait.toMillis());
                if (e.remaining().isPresent()) {
                    pending = e.remaining().get();
                    progressed = true;
                    partlyUnread = true;
                }
                sleeper.pause(wait, "to retry a fix");
            }
        }
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** What a remedy did, and the finding it did it for (a finding decided again may differ from the first). */
    private record Applied(Finding finding, Outcome outcome) {
    }

    /** The outcome the fix is expected to have, recorded before it runs so a retry can finish the job. */
    private Outcome planned(Finding finding, boolean gaveUp, Optional<TableState> state) {
        Remedy remedy = finding.remedy();
        if (remedy instanceof Remedy.AlertOnly) {
            return new Outcome(Outcome.Action.ALERTED, remedy.done());
        }
        RuleModes.Applied mode = settings.modeOf(check.rule());
        if (!mode.remediates()) {
            return new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, sweeping && !mode.byRule()
                    ? "Nothing was changed: this sweep only reports (the first sweep since installation, SweepReportOnly,"
                            + " or past the sweep's cap on fixes, SweepMaxFixes)."
                    : "Nothing was changed: " + mode.describe() + ".");
        }
        if (gaveUp) {
            return new Outcome(Outcome.Action.GAVE_UP, "The table was still " + state.map(TableState::status).orElse("changing")
                    + " after " + settings.maxRechecks() + " re-checks, so ddb-warden could not act; do it by hand.");
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done());
    }

    /**
     * A retry after a run that died between opening its ledger entry and closing it. A compliant table
     * means the fix landed; a vanished one means nobody can tell, and the alert says so.
     */
    private Result finishInterrupted(LedgerEntry entry, TableRef table, Optional<TableState> state, TimeBudget budget) {
        Alert planned = entry.alert().orElseThrow();
        Outcome.Action action = state.isPresent() ? Outcome.Action.ALREADY_COMPLIANT : Outcome.Action.TABLE_GONE;
        Alert alert = state.isPresent() ? planned : new Alert(planned.subject(), planned.body()
                + "\nNote: the table no longer exists, so ddb-warden cannot confirm the change above was made.\n",
                planned.attributes());
        ledger.close(entry.key(), action.name(), summary(state), alert);
        LOG.info("finishing the decision an earlier attempt left open for {}: {}", table.arn(), action);
        return new Result(entry.rule(), table.arn(), entry.severity(), action.name(), alerts.send(entry.key(), alert, budget));
    }

    private Result finishEarlier(LedgerEntry entry, TableRef table, TimeBudget budget) {
        if (entry.alertStatus() == LedgerEntry.AlertStatus.SENT || entry.alertStatus() == LedgerEntry.AlertStatus.NONE) {
            LOG.info("event already handled for {} ({}); nothing to do", table.arn(), entry.action());
            return Result.skipped(entry.rule(), table.arn(), "ALREADY_HANDLED");
        }
        LOG.info("sending the alert an earlier attempt left pending for {}", table.arn());
        return new Result(entry.rule(), table.arn(), entry.severity(), entry.action(),
                alerts.send(entry.key(), entry.alert().orElseThrow(), budget));
    }

    private Result recordCompliant(ApiCall call, TableRef table, LedgerKey key, Optional<TableState> state, Instant now) {
        return recordWithoutAlert(call, table, key, state, now, state.isPresent() ? "COMPLIANT" : Outcome.Action.TABLE_GONE.name());
    }

    private Result recordWithoutAlert(ApiCall call, TableRef table, LedgerKey key, Optional<TableState> state, Instant now,
                                      String action) {
        ledger.open(new LedgerEntry(key, check.rule(), table.arn(), call.eventName(), call.actor().describe(), "", "",
                summary(state), "", action, LedgerEntry.Status.DONE, Optional.empty(), LedgerEntry.AlertStatus.NONE, now));
        LOG.info("{} {}: nothing to do", table.arn(), action.toLowerCase(java.util.Locale.ROOT));
        return Result.skipped(check.rule(), table.arn(), action);
    }

    /** Until when this run may be working on an entry: the rest of its budget, and a margin. */
    private static Instant leaseEnd(Instant now, TimeBudget budget) {
        return now.plus(budget.left()).plus(LEASE_MARGIN);
    }

    /** What the ledger keeps of a state: its summary as JSON, or nothing for a ledger that remembers nothing. */
    private String summary(Optional<TableState> state) {
        if (!ledger.remembers()) {
            return "";
        }
        return state.isPresent() ? JsonText.write(state.get().summary()) : "{\"exists\":false}";
    }
}
