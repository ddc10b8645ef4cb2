package dev.ddbwarden.handler;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ledger contract as {@link dev.ddbwarden.ledger.DynamoLedger} keeps it, in a map: open writes only
 * when the key is absent, close records the outcome with its alert as DONE / PENDING, alertSent marks
 * the alert SENT, an OPEN entry is taken over only once its lease ran out, an alert is claimed by one
 * run, fixes are counted per table and hour, the latest hold of each kind and the facts last seen are kept per table. {@link #beforeNextOpen} lets a test slip another
 * invocation's write in between; {@link #failAlertSent} makes the record of a sent alert fail.
 */
final class InMemoryLedger implements Ledger {
    private final Map<LedgerKey, LedgerEntry> entries = new LinkedHashMap<>();
    private final Map<LedgerKey, String> messageIds = new LinkedHashMap<>();
    private final Map<LedgerKey, Instant> claims = new LinkedHashMap<>();
    private final Map<String, FixCount> fixes = new LinkedHashMap<>();
    private final Set<String> tripped = new HashSet<>();
    private final Map<String, Map<String, Integer>> sweeps = new LinkedHashMap<>();
    private final Map<String, Integer> reservations = new LinkedHashMap<>();
    private final Map<String, Hold> holds = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> seen = new LinkedHashMap<>();
    private final Set<String> swept = new HashSet<>();
    private final Map<String, Boolean> pinned = new LinkedHashMap<>();
    private int alertSentFailuresLeft;
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
        close(key, action, stateAfter, alert, LedgerEntry.AlertStatus.PENDING);
    }

    @Override
    public void closeWithoutAlert(LedgerKey key, String action, String stateAfter, Alert alert) {
        close(key, action, stateAfter, alert, LedgerEntry.AlertStatus.NONE);
    }

    private void close(LedgerKey key, String action, String stateAfter, Alert alert, LedgerEntry.AlertStatus status) {
        LedgerEntry e = entries.get(key);
        if (e == null) {
            throw new AssertionError("close of an entry never opened: " + key);
        }
        entries.put(key, new LedgerEntry(key, e.rule(), e.tableArn(), e.eventName(), e.actor(), e.severity(),
                e.finding(), e.stateBefore(), stateAfter, action, LedgerEntry.Status.DONE, Optional.of(alert),
                status, e.recordedAt()));
    }

    @Override
    public void alertSent(LedgerKey key, String messageId) {
        if (alertSentFailuresLeft > 0) {
            alertSentFailuresLeft--;
            throw new IllegalStateException("the ledger is unavailable");
        }
        LedgerEntry e = entries.get(key);
        entries.put(key, new LedgerEntry(key, e.rule(), e.tableArn(), e.eventName(), e.actor(), e.severity(),
                e.finding(), e.stateBefore(), e.stateAfter(), e.action(), e.status(), e.alert(),
                LedgerEntry.AlertStatus.SENT, e.recordedAt()));
        messageIds.put(key, messageId);
    }

    @Override
    public boolean takeOver(LedgerKey key, Instant now, Instant leaseUntil) {
        LedgerEntry e = entries.get(key);
        if (e == null || e.status() != LedgerEntry.Status.OPEN || !e.leaseUntil().isBefore(now)) {
            return false;
        }
        entries.put(key, with(e, e.alertStatus(), leaseUntil));
        return true;
    }

    @Override
    public boolean claimAlert(LedgerKey key, Instant now, Instant claimUntil) {
        LedgerEntry e = entries.get(key);
        boolean free = e.alertStatus() == LedgerEntry.AlertStatus.PENDING
                || e.alertStatus() == LedgerEntry.AlertStatus.SENDING && claims.getOrDefault(key, Instant.EPOCH).isBefore(now);
        if (free) {
            entries.put(key, with(e, LedgerEntry.AlertStatus.SENDING, e.leaseUntil()));
            claims.put(key, claimUntil);
        }
        return free;
    }

    @Override
    public void addSweepCounts(String sweepId, Map<String, Integer> counts) {
        counts.forEach((name, n) -> sweeps.computeIfAbsent(sweepId, id -> new TreeMap<>()).merge(name, n, Integer::sum));
    }

    @Override
    public Map<String, Integer> sweepCounts(String sweepId) {
        return Map.copyOf(sweeps.getOrDefault(sweepId, new TreeMap<>()));
    }

    @Override
    public synchronized boolean reserveSweepFix(String sweepId, String account, int max) {
        String key = sweepId + "/" + account;
        int taken = reservations.getOrDefault(key, 0);
        if (taken >= max) {
            return false;
        }
        reservations.put(key, taken + 1);
        return true;
    }

    @Override
    public synchronized void releaseSweepFix(String sweepId, String account) {
        reservations.merge(sweepId + "/" + account, -1, Integer::sum);
    }

    @Override
    public boolean hasSwept(String account) {
        return swept.contains(account);
    }

    @Override
    public void markSwept(String sweepId, String account) {
        swept.add(account);
    }

    @Override
    public synchronized boolean pinReportOnly(String sweepId, String account, boolean reportOnly) {
        return pinned.computeIfAbsent(sweepId + "/" + account, key -> reportOnly);
    }

    @Override
    public void releaseLease(LedgerKey key) {
        LedgerEntry e = entries.get(key);
        if (e != null) {
            entries.put(key, with(e, e.alertStatus(), Instant.EPOCH));
        }
    }

    @Override
    public void releaseAlert(LedgerKey key) {
        LedgerEntry e = entries.get(key);
        if (e != null && e.alertStatus() == LedgerEntry.AlertStatus.SENDING) {
            entries.put(key, with(e, LedgerEntry.AlertStatus.PENDING, e.leaseUntil()));
            claims.remove(key);
        }
    }

    @Override
    public FixCount fixesIn(String rule, String tableArn, String window) {
        return fixes.getOrDefault(rule + tableArn + window, new FixCount(0, Set.of()));
    }

    @Override
    public void countFix(String rule, String tableArn, String window, String actor) {
        FixCount count = fixesIn(rule, tableArn, window);
        Set<String> actors = new HashSet<>(count.actors());
        actors.add(actor);
        fixes.put(rule + tableArn + window, new FixCount(count.fixes() + 1, actors));
    }

    @Override
    public boolean tripBreaker(String rule, String tableArn, String window) {
        return tripped.add(rule + tableArn + window);
    }

    @Override
    public void hold(Hold hold) {
        holds.put(hold.kind() + "#" + hold.tableArn(), hold);
    }

    @Override
    public Optional<Hold> holdOn(Hold.Kind kind, String tableArn) {
        return Optional.ofNullable(holds.get(kind + "#" + tableArn));
    }

    @Override
    public Map<String, String> lastSeen(String tableArn) {
        return Map.copyOf(seen.getOrDefault(tableArn, Map.of()));
    }

    @Override
    public void remember(String tableArn, Map<String, String> facts, Instant seenAt) {
        seen.computeIfAbsent(tableArn, arn -> new TreeMap<>()).putAll(facts);
    }

    private static LedgerEntry with(LedgerEntry e, LedgerEntry.AlertStatus alertStatus, Instant leaseUntil) {
        return new LedgerEntry(e.key(), e.rule(), e.tableArn(), e.eventName(), e.actor(), e.severity(), e.finding(),
                e.stateBefore(), e.stateAfter(), e.action(), e.status(), e.alert(), alertStatus, e.recordedAt(), leaseUntil);
    }

    void seed(LedgerEntry entry) {
        entries.put(entry.key(), entry);
    }

    /** Fails the next {@code times} records of an alert as sent, as a ledger gone away mid-run would. */
    void failAlertSent(int times) {
        this.alertSentFailuresLeft = times;
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
