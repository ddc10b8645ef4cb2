package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.Alert;

import java.util.Optional;

/** For a quick local run without LEDGER_TABLE: remembers nothing, so re-delivered events act again. */
public final class NoLedger implements Ledger {
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
    public void alertSent(LedgerKey key, String messageId) {
    }
}
