package dev.ddbwarden.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes an event's time with {@link Instant}. An offset written without its colon ({@code +0000}, as
 * some of CloudTrail's published samples have it) gets one first, since Instant.parse wants {@code +00:00}. A time
 * that names no instant is unknown, never the epoch: an alert saying 1970 would send a reader looking in the wrong
 * place. Pure.
 */
public final class EventTime {
    /** What an alert says when neither the record nor the envelope named a readable time. */
    public static final String UNKNOWN = "unknown";
    /** An offset at the end written without its colon: sign, two digits of hours, two of minutes. */
    private static final Pattern OFFSET_WITHOUT_COLON = Pattern.compile("[+-]\\d{4}$");

    private EventTime() {
    }

    /** The instant {@code text} names; empty when it is empty or names none. */
    static Optional<Instant> parse(String text) {
        try {
            return Optional.of(Instant.parse(withOffsetColon(text)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The time as an alert writes it, or {@link #UNKNOWN}. */
    public static String text(Optional<Instant> time) {
        return time.map(Instant::toString).orElse(UNKNOWN);
    }

    /** {@code text} with a colon put into an offset written as {@code +HHMM}; otherwise as it is. */
    private static String withOffsetColon(String text) {
        if (!OFFSET_WITHOUT_COLON.matcher(text).find()) {
            return text;
        }
        int minutes = text.length() - 2;
        return text.substring(0, minutes) + ':' + text.substring(minutes);
    }
}
