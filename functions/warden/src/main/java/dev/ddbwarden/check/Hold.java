package dev.ddbwarden.check;

import java.time.Instant;
import java.util.Optional;

/**
 * A decision of ddb-warden's own that keeps it away from a table, as its ledger holds it: the table was
 * quarantined, or an approved principal's confirmed decommission lets it go until {@code until}. A tag
 * on the table says the same, but anyone allowed dynamodb:TagResource can write a tag; only ddb-warden
 * writes its ledger, so the tag counts only where the ledger agrees.
 *
 * @param until the end of a decommission; empty for a quarantine, which lasts until the security team lifts it
 */
public record Hold(Kind kind, String tableArn, Instant decidedAt, Optional<Instant> until) {

    public enum Kind { QUARANTINE, DECOMMISSION }
}
