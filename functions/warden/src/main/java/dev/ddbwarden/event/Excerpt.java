package dev.ddbwarden.event;

import java.util.Locale;

/**
 * Text quoted from an event or the live state, cut to a size people and channels can take. An event may
 * carry any field at up to EventBridge's 256 KB, so every quote is bounded on its own: whatever one
 * field holds, the lines around it (table ARN, event ID, what was done, how to undo) still fit. A cut
 * keeps the head and the tail, where names and ARNs differ, and says in between how much is missing.
 * Sizes are UTF-8 bytes, as SNS and DynamoDB count them. Pure.
 */
public final class Excerpt {
    /** A one-line field (ARN, name, user agent): far above any real one, and under a ledger sort key's 1,024 bytes. */
    public static final int LINE_BYTES = 1_000;
    /** A quoted document: DynamoDB's own limit on a resource policy, so no real policy is ever cut. */
    public static final int BLOCK_BYTES = 20 * 1024;
    /** A value quoted in a log line: enough to recognise it. */
    private static final int LOG_BYTES = 200;
    /** Room for the marker at its longest, so that a cut text never exceeds its bound. */
    private static final int MARKER_ROOM = 64;

    private Excerpt() {
    }

    /** A field quoted on one line: at most {@link #LINE_BYTES}, and on one line whatever it holds. */
    public static String line(String text) {
        return line(text, LINE_BYTES);
    }

    /**
     * At most {@code maxBytes}, on one line: line breaks, other control characters and invisible format
     * characters (bidirectional overrides, zero-width spaces) are written as escapes, so a quoted value can
     * neither forge a line of the message nor pass for a name it is not.
     */
    public static String line(String text, int maxBytes) {
        return of(visible(text), maxBytes);
    }

    /** A value in quotes for a log line or a reason given for ignoring an event: short, and on one line. */
    public static String quoted(String text) {
        return "'" + line(text, LOG_BYTES) + "'";
    }

    /** A document quoted as it is (line breaks kept), at most {@link #BLOCK_BYTES}. */
    public static String block(String text) {
        return of(text, BLOCK_BYTES);
    }

    /** The text itself when it fits in {@code maxBytes} of UTF-8, else its head and tail around a marker. */
    public static String of(String text, int maxBytes) {
        if (maxBytes < 2 * MARKER_ROOM) {
            throw new IllegalArgumentException("an excerpt needs room for its marker: " + maxBytes + " bytes");
        }
        if (surelyFits(text, maxBytes) || utf8Length(text, 0, text.length()) <= maxBytes) {
            return text;
        }
        int room = maxBytes - MARKER_ROOM;
        int headEnd = advance(text, 0, room / 2);
        int tailStart = retreat(text, text.length(), room - utf8Length(text, 0, headEnd));
        int total = text.codePointCount(0, text.length());
        int cut = text.codePointCount(headEnd, tailStart);
        return text.substring(0, headEnd) + marker(cut, total) + text.substring(tailStart);
    }

    /**
     * The longest head of {@code text} in whole characters that fits in {@code maxBytes} of UTF-8: the text
     * itself when it fits. For a store that keeps a prefix (a key, a record), where {@link #of} keeps both ends.
     */
    public static String head(String text, int maxBytes) {
        return surelyFits(text, maxBytes) ? text : text.substring(0, advance(text, 0, maxBytes));
    }

    /**
     * Whether the text fits without counting: no char takes more than 3 bytes of UTF-8 (a pair of surrogates
     * takes 4). Counting walks every code point, and most texts are far below their bound.
     */
    private static boolean surelyFits(String text, int maxBytes) {
        return text.length() <= maxBytes / 3;
    }

    /** The marker a cut leaves; ASCII, and within {@link #MARKER_ROOM} bytes for any String's length. */
    static String marker(int cut, int total) {
        return String.format(Locale.ROOT, " [...cut %,d of %,d characters...] ", cut, total);
    }

    /** The index after the longest run of whole characters from {@code start} that fits in {@code bytes}. */
    private static int advance(String text, int start, int bytes) {
        int at = start;
        int used = 0;
        while (at < text.length()) {
            int codePoint = text.codePointAt(at);
            int size = utf8Length(codePoint);
            if (used + size > bytes) {
                break;
            }
            used += size;
            at += Character.charCount(codePoint);
        }
        return at;
    }

    /** The index of the longest run of whole characters ending at {@code end} that fits in {@code bytes}. */
    private static int retreat(String text, int end, int bytes) {
        int at = end;
        int used = 0;
        while (at > 0) {
            int codePoint = text.codePointBefore(at);
            int size = utf8Length(codePoint);
            if (used + size > bytes) {
                break;
            }
            used += size;
            at -= Character.charCount(codePoint);
        }
        return at;
    }

    private static int utf8Length(String text, int start, int end) {
        int bytes = 0;
        for (int at = start; at < end; ) {
            int codePoint = text.codePointAt(at);
            bytes += utf8Length(codePoint);
            at += Character.charCount(codePoint);
        }
        return bytes;
    }

    /** A lone surrogate is counted as the three bytes of the replacement character it encodes as, at most. */
    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }

    private static String visible(String text) {
        StringBuilder out = null;
        for (int at = 0; at < text.length(); ) {
            int codePoint = text.codePointAt(at);
            int next = at + Character.charCount(codePoint);
            if (hidden(codePoint)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, at);
                }
                out.append(escape(codePoint));
            } else if (out != null) {
                out.append(text, at, next);
            }
            at = next;
        }
        return out == null ? text : out.toString();
    }

    private static boolean hidden(int codePoint) {
        // Printable ASCII, most of any text, without looking up its Unicode category.
        if (codePoint >= 0x20 && codePoint < 0x7f) {
            return false;
        }
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static String escape(int codePoint) {
        return switch (codePoint) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> String.format(Locale.ROOT, "\\u%04X", codePoint);
        };
    }
}
