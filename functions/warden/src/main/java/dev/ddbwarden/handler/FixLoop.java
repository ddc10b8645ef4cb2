package dev.ddbwarden.handler;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.fix.StateMoved;
import dev.ddbwarden.state.Backoff;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applies a finding's remedy. A resource that changed underneath (a conditional write refused) is read and
 * decided again, a bounded number of times; a resource DynamoDB will not change yet is retried after the
 * wait it asks for while the budget allows. Past either bound the error is thrown, the ledger entry stays
 * open, and Lambda's retry takes over.
 */
final class FixLoop {
    private static final Logger LOG = LoggerFactory.getLogger(FixLoop.class);
    /** Decisions made on a resource that keeps changing underneath before leaving it to Lambda's retry. */
    private static final int MAX_DECISIONS = 3;
    private static final Duration BUSY_FIRST_WAIT = Duration.ofSeconds(2);
    private static final Duration BUSY_LONGEST_WAIT = Duration.ofSeconds(30);

    private final Fixes fixes;
    private final TableReader reader;
    private final Sleeper sleeper;

    FixLoop(Fixes fixes, TableReader reader, Sleeper sleeper) {
        this.fixes = fixes;
        this.reader = reader;
        this.sleeper = sleeper;
    }

    /** What a remedy did, and the finding it did it for (a finding decided again may differ from the first). */
    record Applied(Finding finding, Outcome outcome) {
    }

    /** @param decide the rule's decision on a state read again, as the pipeline made the first one */
    Applied apply(Finding found, TableState read, TimeBudget budget, Function<Optional<TableState>, Optional<Finding>> decide) {
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
                Optional<Finding> again = decide.apply(fresh);
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
}
