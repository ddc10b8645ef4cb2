package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.Alert;

import java.time.Instant;
import java.util.Optional;

/**
 * What the ledger holds for one decision. {@code OPEN} means a fix may have started; {@code DONE}
 * means the outcome is known. The alert is stored with it, so a retry sends exactly what the failed
 * run meant to.
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
        Instant recordedAt) {

    public enum Status { OPEN, DONE }

    public enum AlertStatus { NONE, PENDING, SENT }
}
