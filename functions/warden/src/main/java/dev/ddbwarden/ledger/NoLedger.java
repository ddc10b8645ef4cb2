package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.check.Hold;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * For a quick local run without LEDGER_TABLE: remembers nothing, so re-delivered events act again,
 * concurrent runs both act, and the tug-of-war breaker never trips.
 */
public final class NoLedger implements Ledger {
    @Override
    public boolean remembers() {
        return false;
    }

    @Override
    public Optional<LedgerEntry> find(LedgerKey key) {
        return Optional.empty();
    }

    @Override
    public boolean open(LedgerEntry entry) {
        return true;
    }

    @Override
    public void close(LedgerKey key, String action, String stateAfter, Alert alert) {
    }

    @Override
    public void closeWithoutAlert(LedgerKey key, String action, String stateAfter, Alert alert) {
    }

    @Override
    public void alertSent(LedgerKey key, String messageId) {
    }

    @Override
    public boolean takeOver(LedgerKey key, Instant now, Instant leaseUntil) {
        return true;
    }

    @Override
    public boolean claimAlert(LedgerKey key, Instant now, Instant claimUntil) {
        return true;
    }

    @Override
    public void addSweepCounts(String sweepId, Map<String, Integer> counts) {
    }

    @Override
    public Map<String, Integer> sweepCounts(String sweepId) {
        return Map.of();
    }

    /** Without memory there is nothing to count against: the cap needs a ledger. */
    @Override
    public boolean reserveSweepFix(String sweepId, String account, int max) {
        return true;
    }

    @Override
    public void releaseSweepFix(String sweepId, String account) {
    }

    /** Without memory every sweep is the first: it only reports. */
    @Override
    public boolean hasSwept(String account) {
        return false;
    }

    @Override
    public void markSwept(String sweepId, String account) {
    }

    /** Without memory nothing is pinned: the page's own answer, which {@link #hasSwept} makes report-only. */
    @Override
    public boolean pinReportOnly(String sweepId, String account, boolean reportOnly) {
        return reportOnly;
    }

    @Override
    public void releaseLease(LedgerKey key) {
    }

    @Override
    public void releaseAlert(LedgerKey key) {
    }

    /** Without memory no fix is ever counted, so the tug-of-war breaker never trips. */
    @Override
    public FixCount fixesIn(String rule, String tableArn, String window) {
        return new FixCount(0, Set.of());
    }

    @Override
    public void countFix(String rule, String tableArn, String window, String actor) {
    }

    @Override
    public void hold(Hold hold) {
    }

    /** Without memory no decision is held, so no tag exempts a table. */
    @Override
    public Optional<Hold> holdOn(Hold.Kind kind, String tableArn) {
        return Optional.empty();
    }

    /** Without memory no table was seen before: fixes restore their defaults. */
    @Override
    public Map<String, String> lastSeen(String tableArn) {
        return Map.of();
    }

    @Override
    public void remember(String tableArn, Map<String, String> facts, Instant seenAt) {
    }

    @Override
    public boolean tripBreaker(String rule, String tableArn, String window) {
        return true;
    }
}
