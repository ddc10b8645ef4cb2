package dev.ddbwarden.alert;

/**
 * What SNS takes as a subject: under 100 characters, no line breaks or control characters. Printable
 * ASCII only, since some subscribers (mail gateways, chat bridges) take nothing else. Pure.
 */
public final class Subject {
    /** SNS refuses subjects of 100 characters or more. */
    public static final int MAX = 99;
    public static final String ELLIPSIS = "...";

    private Subject() {
    }

    /** Printable ASCII only: anything else (control characters, other scripts) becomes '?'. */
    public static String ascii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int at = 0; at < text.length(); ) {
            int c = text.codePointAt(at);
            out.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
            at += Character.charCount(c);
        }
        return out.toString();
    }

    /** The line as a subject SNS accepts: ASCII, and cut with an ellipsis when too long. */
    static String of(String line) {
        String ascii = ascii(line);
        return ascii.length() <= MAX ? ascii : ascii.substring(0, MAX - ELLIPSIS.length()) + ELLIPSIS;
    }
}
