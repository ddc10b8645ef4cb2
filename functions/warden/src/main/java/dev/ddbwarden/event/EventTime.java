package dev.ddbwarden.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes an event's time. CloudTrail writes whole seconds in UTC ({@code 2024-05-14T09:12:03Z});
 * by hand, that shape costs a small part of what the JDK's general ISO parser and formatter cost (the parser
 * was 5% of a warm invocation's own CPU on Lambda's C1-only JIT, bench/warm). Anything else goes to
 * {@link Instant#parse}, which reads fractional seconds and a {@code +00:00} offset; an offset written without
 * its colon ({@code +0000}, as some of CloudTrail's published samples have it) gets one first. A time that
 * names no instant is unknown, never the epoch: an alert saying 1970 would send a reader looking in the wrong
 * place. Pure.
 */
public final class EventTime {
    /** What an alert says when neither the record nor the envelope named a readable time. */
    public static final String UNKNOWN = "unknown";
    /** The shape CloudTrail writes. */
    private static final String SHAPE = "0000-00-00T00:00:00Z";
    /** An offset at the end written without its colon: sign, two digits of hours, two of minutes. */
    private static final Pattern OFFSET_WITHOUT_COLON = Pattern.compile("[+-]\\d{4}$");

    private EventTime() {
    }

    /** The instant {@code text} names; empty when it is empty or names none. */
    static Optional<Instant> parse(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Instant quick = wholeSecondsUtc(text);
        if (quick != null) {
            return Optional.of(quick);
        }
        try {
            return Optional.of(Instant.parse(withOffsetColon(text)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The time as an alert writes it: as {@link #text(Instant)} does, or {@link #UNKNOWN}. */
    public static String text(Optional<Instant> time) {
        return time.map(EventTime::text).orElse(UNKNOWN);
    }

    /** The instant as {@link Instant#toString} writes it. */
    public static String text(Instant time) {
        if (time.getNano() != 0) {
            return time.toString();
        }
        LocalDateTime utc = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            return time.toString();
        }
        char[] text = SHAPE.toCharArray();
        digits(text, 0, 4, utc.getYear());
        digits(text, 5, 2, utc.getMonthValue());
        digits(text, 8, 2, utc.getDayOfMonth());
        digits(text, 11, 2, utc.getHour());
        digits(text, 14, 2, utc.getMinute());
        digits(text, 17, 2, utc.getSecond());
        return new String(text);
    }

    /** Writes {@code value} into the {@code count} places from {@code from}, zero-padded. */
    private static void digits(char[] text, int from, int count, int value) {
        int rest = value;
        for (int i = from + count - 1; i >= from; i--) {
            text[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
    }

    /** The instant when {@code text} has CloudTrail's shape and names a valid time; null otherwise. */
    private static Instant wholeSecondsUtc(String text) {
        if (text.length() != SHAPE.length()) {
            return null;
        }
        for (int i = 0; i < SHAPE.length(); i++) {
            char expected = SHAPE.charAt(i);
            char c = text.charAt(i);
            if (expected == '0' ? c < '0' || c > '9' : c != expected) {
                return null;
            }
        }
        int second = number(text, 17, 2);
        // A leap second (60) is Instant.parse's to interpret.
        if (second > 59) {
            return null;
        }
        try {
            return LocalDateTime.of(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2), number(text, 11, 2),
                    number(text, 14, 2), second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code text} with a colon put into an offset written as {@code +HHMM}; otherwise as it is. */
    private static String withOffsetColon(String text) {
        if (!OFFSET_WITHOUT_COLON.matcher(text).find()) {
            return text;
        }
        int minutes = text.length() - 2;
        return text.substring(0, minutes) + ':' + text.substring(minutes);
    }

    private static int number(String text, int from, int digits) {
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            value = value * 10 + text.charAt(i) - '0';
        }
        return value;
    }
}
