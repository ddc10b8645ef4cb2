package dev.ddbwarden.handler;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger contract as {@link dev.ddbwarden.ledger.DynamoLedger} keeps it, in a map: open writes only
 * when the key is absent, close records the outcome with its alert as DONE / PENDING, alertSent marks
 * the alert SENT. {@link #beforeNextOpen} lets a test slip another invocation's write in between.
 */
final class InMemoryLedger implements Ledger {
    private final Map<LedgerKey, LedgerEntry> entries = new LinkedHashMap<>();
    private final Map<LedgerKey, String> messageIds = new LinkedHashMap<>();
    private Runnable beforeNextOpen = () -> { };

    @Override
    public Optional<LedgerEntry> find(LedgerKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public boolean open(LedgerEntry entry) {
        Runnable racer = beforeNextOpen;
        beforeNextOpen = () -> { };
        racer.run();
        return entries.putIfAbsent(entry.key(), entry) == null;
    }

    @Override
    public void close(LedgerKey key, String action, String stateAfter, Alert alert) {
        LedgerEntry e = entries.get(key);
        if (e == null) {
            throw new AssertionError("close of an entry never opened: " + key);
        }
        entries.put(key, new LedgerEntry(key, e.rule(), e.tableArn(), e.eventName(), e.actor(), e.severity(),
                e.finding(), e.stateBefore(), stateAfter, action, LedgerEntry.Status.DONE, Optional.of(alert),
                LedgerEntry.AlertStatus.PENDING, e.recordedAt()));
    }

    @Override
    public void alertSent(LedgerKey key, String messageId) {
        LedgerEntry e = entries.get(key);
        entries.put(key, new LedgerEntry(key, e.rule(), e.tableArn(), e.eventName(), e.actor(), e.severity(),
                e.finding(), e.stateBefore(), e.stateAfter(), e.action(), e.status(), e.alert(),
                LedgerEntry.AlertStatus.SENT, e.recordedAt()));
        messageIds.put(key, messageId);
    }

    void seed(LedgerEntry entry) {
        entries.put(entry.key(), entry);
    }

    void beforeNextOpen(Runnable racer) {
        this.beforeNextOpen = racer;
    }

    LedgerEntry entry(LedgerKey key) {
        LedgerEntry entry = entries.get(key);
        if (entry == null) {
            throw new AssertionError("no ledger entry for " + key + "; have " + entries.keySet());
        }
        return entry;
    }

    Optional<String> messageId(LedgerKey key) {
        return Optional.ofNullable(messageIds.get(key));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
