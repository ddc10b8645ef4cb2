package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.config.Lazy;
import dev.ddbwarden.config.RuleModes;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.SubjectLookup;
import dev.ddbwarden.state.LastSeen;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import dev.ddbwarden.state.TrailHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The steps every rule shares: read the live state, check, fix, record, alert ({@link Remediation} carries a finding
 * through the last three). The ledger entry is opened before the fix and closed after it, so a run that dies anywhere
 * is finished by its retry and a re-delivered event does nothing twice.
 */
final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** Reads made while the live state does not yet show what the call did (eventual consistency). */
    private static final int CONSISTENCY_READS = 4;

    private final Rule rule;
    private final SubjectLookup subjects;
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
    private final Records records;
    private final FixLoop fixLoop;
    private final RefusedFixes refusals;
    private final ResourceAlerts resourceAlerts;
    private final Remediation remediation;
    /** The sweep skips a table that is still changing: the event that changed it brings it back. */
    private final boolean sweeping;

    /**
     * @param subjects how the call's tables are found ({@link Rule#subjectLookup})
     * @param history  CloudTrail's record, which confirms who acted before a decision turns on it
     */
    Pipeline(Rule rule, SubjectLookup subjects, Settings settings, TableReader reader, Fixes fixes, Ledger ledger,
             AlertPublisher publisher, Optional<Recheck> recheck, Clock clock, Sleeper sleeper, TrailHistory history) {
        this(rule, subjects, settings, reader, fixes, ledger, publisher, recheck, clock, sleeper, history, false);
    }

    private Pipeline(Rule rule, SubjectLookup subjects, Settings settings, TableReader reader, Fixes fixes, Ledger ledger,
                     AlertPublisher publisher, Optional<Recheck> recheck, Clock clock, Sleeper sleeper,
                     TrailHistory history, boolean sweeping) {
        this.rule = rule;
        this.subjects = subjects;
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
        this.approvals = new ApprovalGate(rule, settings, history, once);
        this.exemptions = new TagExemptions(ledger, once);
        this.records = new Records(ledger, alerts);
        this.fixLoop = new FixLoop(fixes, reader, sleeper);
        this.refusals = new RefusedFixes(rule, settings, reader, fixLoop, ledger, records, once, recheck, clock);
        this.resourceAlerts = new ResourceAlerts(rule, settings, once, ledger, ledger, publisher);
        this.remediation = new Remediation(rule, settings, reader, ledger, alerts, records, refusals, sweeping);
        this.sweeping = sweeping;
    }

    /** The same pipeline in other settings, for the sweep (whose report-only runs are notify mode). */
    Pipeline forSweep(Settings sweepSettings) {
        return new Pipeline(rule, subjects, sweepSettings, reader, fixes, ledger, publisher, Optional.empty(), clock, sleeper,
                history, true);
    }

    /**
     * @param event   the event as delivered, handed to the re-check queue when the table is still changing
     * @param attempt 0 for a first delivery, n for the n-th delayed re-check
     */
    List<Result> process(ApiCall call, JsonNode event, int attempt, TimeBudget budget) {
        List<TableRef> tables = subjects.find(call, budget);
        if (tables.isEmpty()) {
            return resourceAlerts.process(call, budget);
        }
        RuleModes.Applied mode = settings.modeOf(rule.name());
        if (mode.off()) {
            LOG.info("{}: {} is not acted on", mode.describe(), call.eventName());
            return tables.stream().map(table -> Result.skipped(rule.name(), table.arn(), "SKIPPED_RULE_OFF")).toList();
        }
        List<Result> results = new ArrayList<>(tables.size());
        // The call's facts are the call's: read once, and only when a table gets as far as a decision.
        Supplier<CallFacts> facts = Lazy.of(() -> CallFacts.read(rule, call, settings));
        for (TableRef table : tables) {
            results.add(handle(call, table, event, attempt, budget, facts));
        }
        return List.copyOf(results);
    }

    /** The sweep's look at the rule's resources other than tables in {@code account}'s {@code region} ({@link Rule#sweepResources}). */
    List<Result> sweepResources(String sweepId, String account, String region, TimeBudget budget) {
        return resourceAlerts.sweep(sweepId, account, region, clock.instant(), budget);
    }

    private Result handle(ApiCall call, TableRef table, JsonNode event, int attempt, TimeBudget budget,
                          Supplier<CallFacts> callFacts) {
        String name = rule.name();
        if (!table.accountId().equals(call.accountId())) {
            LOG.warn("{} is in account {}, not this account {}; skipped", table.arn(), table.accountId(), call.accountId());
            return Result.skipped(name, table.arn(), "SKIPPED_OTHER_ACCOUNT");
        }
        if (rule.honoursExemptions() && settings.isExempt(table.name())) {
            LOG.info("{} is exempt (EXEMPT_TABLES={}); no action, no alert", table.name(), settings.exemptTables());
            return Result.skipped(name, table.arn(), "SKIPPED_EXEMPT");
        }
        LedgerKey key = LedgerKey.of(call.eventId(), name, table.arn());
        Optional<LedgerEntry> earlier = ledger.find(key);
        if (earlier.isPresent() && earlier.get().status() == LedgerEntry.Status.DONE) {
            Result finished = records.finishEarlier(earlier.get(), table, budget);
            return RefusedFixes.retrying(earlier.get()) ? refusals.again(call, table, event, attempt, budget) : finished;
        }
        Instant now = clock.instant();
        if (earlier.isPresent() && !ledger.takeOver(key, now, Records.leaseEnd(now, budget))) {
            // Thrown, not dropped: if the holder died without releasing its lease, Lambda's retry (after the
            // lease) finishes the job; if it lives, the retry finds the decision done.
            throw new StillLeased("another invocation holds the decision on " + table.arn() + " for event "
                    + call.eventId() + "; Lambda's retry will find it done or take it over");
        }

        Optional<TableState> state = reader.read(table);
        if (state.isEmpty() && rule.awaitsTable(call, table, settings) && canRecheck(attempt)) {
            return defer(event, attempt, table, "does not exist yet");
        }
        if (state.isPresent() && !rule.isCurrent(call, state.get(), settings)) {
            state = reader.readUntil(table, state, budget, s -> rule.isCurrent(call, s, settings), CONSISTENCY_READS);
            if (state.isPresent() && !rule.isCurrent(call, state.get(), settings) && !rule.mayDecideOnStaleState(call)) {
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
        CallFacts facts = callFacts.get();
        Optional<Finding> finding = evaluate(call, table, facts.onto(state), decided, now);
        Optional<String> exempt = exemptions.skip(rule, call, table, state, finding, earlier.isPresent(), decided, now, budget);
        if (exempt.isPresent()) {
            return Result.skipped(name, table.arn(), exempt.get());
        }
        boolean gaveUp = false;
        if (finding.isPresent() && mustWait(finding.get(), state)) {
            state = reader.readSettled(table, state, budget);
            finding = evaluate(call, table, facts.onto(state), decided, now);
            if (finding.isPresent() && mustWait(finding.get(), state)) {
                if (sweeping) {
                    LOG.info("{} is still {}; the sweep leaves it to the event that changed it", table.name(),
                            state.get().status());
                    return Result.skipped(name, table.arn(), "SKIPPED_CHANGING");
                }
                if (canRecheck(attempt)) {
                    return defer(event, attempt, table, "is still " + state.get().status());
                }
                gaveUp = true;
            }
        }

        if (finding.isEmpty()) {
            remember(state, now);
            return earlier.isPresent()
                    ? records.finishInterrupted(earlier.get(), table, state, budget)
                    : records.recordCompliant(name, call, table, key, state, now);
        }
        Finding found = finding.get();
        try {
            return remediation.remedy(call, found, key, facts.onto(state), earlier.isPresent(), gaveUp, budget, now,
                    fresh -> evaluate(call, found.table(), facts.onto(fresh), decided, now),
                    new Remediation.Delivery(event, attempt));
        } catch (RuntimeException e) {
            // Lambda's retry comes within minutes: it must not find the entry still leased to this failed run.
            ledger.releaseLease(key);
            throw e;
        }
    }

    /** What the rule keeps of a table it found compliant, written only when it differs from what the ledger held. */
    private void remember(Optional<TableState> state, Instant now) {
        if (state.isEmpty()) {
            return;
        }
        Map<String, String> before = state.get().augment(LastSeen.class).map(LastSeen::facts).orElse(Map.of());
        Map<String, String> changed = new HashMap<>(rule.toRemember(state.get()));
        changed.entrySet().removeIf(fact -> fact.getValue().equals(before.get(fact.getKey())));
        if (!changed.isEmpty()) {
            ledger.remember(state.get().ref().arn(), changed, now);
        }
    }

    private boolean canRecheck(int attempt) {
        return attempt < settings.maxRechecks() && recheck.isPresent();
    }

    /** Hands the event to the delayed re-check queue: the table needs longer than this invocation has. */
    private Result defer(JsonNode event, int attempt, TableRef table, String why) {
        recheck.orElseThrow().schedule(event, attempt + 1);
        LOG.info("{} {}; re-check {} of {} scheduled", table.name(), why, attempt + 1, settings.maxRechecks());
        return Result.skipped(rule.name(), table.arn(), "DEFERRED");
    }

    /** @param decided the settings as the actor's confirmation left them ({@link ApprovalGate}) */
    private Optional<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings decided,
                                       Instant now) {
        List<Finding> findings = rule.evaluate(call, table, state, decided, now);
        return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0));
    }

    private boolean mustWait(Finding finding, Optional<TableState> state) {
        return settings.modeOf(rule.name()).remediates() && finding.remedy().changesTable()
                && state.isPresent() && !state.get().settled();
    }
}
