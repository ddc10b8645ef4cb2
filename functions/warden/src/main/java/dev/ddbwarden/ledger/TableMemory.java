package dev.ddbwarden.ledger;

import java.time.Instant;
import java.util.Map;

/**
 * What ddb-warden last saw on a table it found compliant, a few named facts per table (the PITR period, the key
 * that encrypts it), so that a fix can restore what a change took away rather than a default. Written only by
 * ddb-warden's functions from the live state they read, in the ledger that only ddb-warden's roles may write: a
 * remembered fact is a hint for restoring protection, never a reason to relax one, and a rule checks it against
 * its settings before it acts on it.
 */
public interface TableMemory {

    /** The facts last remembered for the table, by name; empty when none (or the ledger remembers nothing). */
    Map<String, String> lastSeen(String tableArn);

    /** Remembers facts seen on the table at {@code seenAt}, replacing those of the same names and keeping the rest. */
    void remember(String tableArn, Map<String, String> facts, Instant seenAt);
}
