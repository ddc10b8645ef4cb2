package dev.ddbwarden.check;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The tag an approved decommission leaves on a table, so that every later run leaves it alone while the
 * ledger holds the decision ({@link TagTrust}): the tag alone exempts nothing.
 */
public final class Decommission {
    /** Tag key; its value is the ISO-8601 instant until which the table is left alone. */
    public static final String TAG_KEY = "ddb-warden:decommission";

    private Decommission() {
    }

    /** The expiry the tag claims while it is still ahead, or empty (no tag, an unreadable one, or expired). */
    public static Optional<Instant> activeUntil(Map<String, String> tags, Instant now) {
        String value = tags.get(TAG_KEY);
        if (value == null) {
            return Optional.empty();
        }
        try {
            Instant until = Instant.parse(value.trim());
            return until.isAfter(now) ? Optional.of(until) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
