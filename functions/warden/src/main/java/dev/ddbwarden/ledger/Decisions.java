package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.Alert;

import java.time.Instant;
import java.util.Optional;

/**
 * One decision per rule, event and table, and the alert it owes. Writes are conditional, so a re-delivered
 * event finds its own entry and does nothing twice, and a run that died between fixing and alerting is
 * finished by the retry.
 */
public interface Decisions {

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

    /**
     * The outcome is known and routine ({@link dev.ddbwarden.check.Remedy#routine}): records it with the alert it would
     * have sent, for the audit, marked {@code NONE}, so that no run publishes it.
     */
    void closeWithoutAlert(LedgerKey key, String action, String stateAfter, Alert alert);

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
}
