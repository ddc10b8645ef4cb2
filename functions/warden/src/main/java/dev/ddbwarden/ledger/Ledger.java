package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.Alert;

import java.util.Optional;

/**
 * The memory of every decision. Writes are conditional, so a re-delivered event finds its own entry
 * and does nothing twice, and a run that died between fixing and alerting is finished by the retry.
 */
public interface Ledger {

    Optional<LedgerEntry> find(LedgerKey key);

    /** Records a new decision; false when one already exists under the key (another run has it). */
    boolean open(LedgerEntry entry);

    /** The outcome is known: records it with the alert to send, marked pending. */
    void close(LedgerKey key, String action, String stateAfter, Alert alert);

    void alertSent(LedgerKey key, String messageId);
}
