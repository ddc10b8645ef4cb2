package dev.ddbwarden.check;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A decision of ddb-warden's own that keeps it away from a table, as its ledger holds it: the table was
 * quarantined, an approved principal's confirmed decommission lets it go until {@code until}, or an approved
 * principal (or security role) declared the table's TTL attribute or the VPC endpoints it is reached through. A tag on the table says the same, but anyone
 * allowed dynamodb:TagResource can write a tag; only ddb-warden writes its ledger, so the tag counts only where
 * the ledger agrees.
 *
 * @param until the end of a decommission; empty for a quarantine, which lasts until the security team lifts it
 * @param value what the confirmed tag said, where its value is the decision (the declared TTL attribute)
 */
public record Hold(Kind kind, String tableArn, Instant decidedAt, Optional<Instant> until, Optional<String> value) {

    /** A hold whose tag's value says nothing beyond the hold itself (a quarantine, a decommission's end). */
    public Hold(Kind kind, String tableArn, Instant decidedAt, Optional<Instant> until) {
        this(kind, tableArn, decidedAt, until, Optional.empty());
    }

    public enum Kind { QUARANTINE, DECOMMISSION, TTL, NETWORK }

    /** The holds on one table of the kinds a rule reads ({@code Rule.holds()}), as its check finds them in the state. */
    public record Held(Map<Kind, Hold> byKind) {
        public Held {
            byKind = Map.copyOf(byKind);
        }

        public static final Held NONE = new Held(Map.of());

        public Optional<Hold> of(Kind kind) {
            return Optional.ofNullable(byKind.get(kind));
        }

        /** These holds with {@code hold} in place of any of its kind, as recording it leaves the ledger. */
        public Held with(Hold hold) {
            Map<Kind, Hold> changed = new EnumMap<>(Kind.class);
            changed.putAll(byKind);
            changed.put(hold.kind(), hold);
            return new Held(changed);
        }
    }

    /**
     * The holds on every table a call names that is decided on the record rather than on each table's state (a data
     * event's tables), by table ARN, as the pipeline read them from the ledger. A table whose holds could not be read
     * is in {@code unread}: its decision rests on what else it knows, and says so.
     */
    public record OnTables(Map<String, Held> byTable, Set<String> unread) {
        public OnTables {
            byTable = Map.copyOf(byTable);
            unread = Set.copyOf(unread);
        }

        public Held on(String tableArn) {
            return byTable.getOrDefault(tableArn, Held.NONE);
        }
    }
}
