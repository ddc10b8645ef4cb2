package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.Alert;

import java.time.Instant;
import java.util.Optional;

/**
 * What the ledger holds for one decision. {@code OPEN} means a fix may have started; {@code DONE}
 * means the outcome is known. The alert is stored with it, so a retry sends exactly what the failed
 * run meant to.
 *
 * @param leaseUntil until when the run that opened (or took over) the entry may still be working on it
 */
public record LedgerEntry(
        LedgerKey key,
        String rule,
        String tableArn,
        String eventName,
        String actor,
        String severity,
        String finding,
        String stateBefore,
        String stateAfter,
        String action,
        Status status,
        Optional<Alert> alert,
        AlertStatus alertStatus,
        Instant recordedAt,
        Instant leaseUntil) {

    /** An entry whose lease has already run out: DONE entries, and OPEN ones nobody is working on. */
    public LedgerEntry(LedgerKey key, String rule, String tableArn, String eventName, String actor, String severity,
                       String finding, String stateBefore, String stateAfter, String action, Status status,
                       Optional<Alert> alert, AlertStatus alertStatus, Instant recordedAt) {
        this(key, rule, tableArn, eventName, actor, severity, finding, stateBefore, stateAfter, action, status, alert,
                alertStatus, recordedAt, Instant.EPOCH);
    }

    public enum Status { OPEN, DONE }

    /** SENDING: one run has claimed the alert and is publishing it; others leave it alone until the claim runs out. */
    public enum AlertStatus { NONE, PENDING, SENDING, SENT }
}
