package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.check.Hold;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The memory of every decision. Writes are conditional, so a re-delivered event finds its own entry
 * and does nothing twice, and a run that died between fixing and alerting is finished by the retry.
 */
public interface Ledger {

    /**
     * Whether this ledger remembers what it is told. One that does not finds no entry, lets every
     * {@link #open} succeed and counts no fix, so what only the ledger would keep (state summaries, the alert
     * planned before a fix, the fix counts of the tug-of-war breaker) need not be made for it.
     */
    default boolean remembers() {
        return true;
    }

    Optional<LedgerEntry> find(LedgerKey key);

    /** Records a new decision; false when one already exists under the key (another run has it). */
    boolean open(LedgerEntry entry);

    /** The outcome is known: records it with the alert to send, marked pending. */
    void close(LedgerKey key, String action, String stateAfter, Alert alert);

    void alertSent(LedgerKey key, String messageId);

    /**
     * Takes over an OPEN entry whose run is no longer working on it (its lease ran out), leased to this
     * run until {@code leaseUntil}; false while another run still holds it.
     */
    boolean takeOver(LedgerKey key, Instant now, Instant leaseUntil);

    /**
     * Claims a pending alert for this run to publish, until {@code claimUntil}; false when another run
     * has claimed it and its claim still holds, or it was sent. One claimant publishes.
     */
    boolean claimAlert(LedgerKey key, Instant now, Instant claimUntil);

    /** This run stops working on the entry (it failed): a retry may take it over at once. */
    void releaseLease(LedgerKey key);

    /** This run could not publish its claimed alert: put it back to pending for the retry. */
    void releaseAlert(LedgerKey key);

    /** How often one rule fixed one table in a window (an hour), and who made the calls it answered. */
    FixCount fixesIn(String rule, String tableArn, String window);

    /** Counts one fix, made in answer to {@code actor}'s call. */
    void countFix(String rule, String tableArn, String window, String actor);

    /** Marks the window's breaker tripped; true only for the first caller, who sends the one alert. */
    boolean tripBreaker(String rule, String tableArn, String window);

    /** Adds a sweep page's counts (tables seen, fixed, ... by rule and region) to the sweep's totals. */
    void addSweepCounts(String sweepId, Map<String, Integer> counts);

    /** The sweep's totals so far. */
    Map<String, Integer> sweepCounts(String sweepId);

    /**
     * Reserves one fix under the sweep's cap; false when {@code max} are taken. Atomic, so branches of
     * a sweep running at the same time share one cap.
     */
    boolean reserveSweepFix(String sweepId, int max);

    /** Gives back a reservation that made no fix. */
    void releaseSweepFix(String sweepId);

    /** Whether a sweep has ever finished here: the first one after installation only reports. */
    boolean hasSwept();

    void markSwept(String sweepId);

    /**
     * Records ddb-warden's own decision to keep away from a table (a quarantine, a decommission), replacing
     * any earlier one of its kind. Written before the tag that announces it, so a tag ddb-warden wrote always
     * has its decision here.
     */
    void hold(Hold hold);

    /** The latest decision of the kind on the table, or empty (a ledger that remembers nothing has none). */
    Optional<Hold> holdOn(Hold.Kind kind, String tableArn);

    /** @param actors who made the calls the fixes answered */
    record FixCount(int fixes, Set<String> actors) {
        public FixCount {
            actors = Set.copyOf(actors);
        }
    }
}
