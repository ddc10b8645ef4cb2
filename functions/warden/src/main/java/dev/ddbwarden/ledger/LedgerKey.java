package dev.ddbwarden.ledger;

import dev.ddbwarden.event.Excerpt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One decision: a CloudTrail event, and the rule and resource it was about. Both parts are made to fit
 * DynamoDB's key limits (2,048 bytes for the partition key, 1,024 for the sort key): a hostile event can
 * name a resource of any length, and a key DynamoDB refuses is a failure no retry cures. A part too long
 * keeps its head and ends with a digest of the whole, so two long names that share a head stay apart.
 */
public record LedgerKey(String eventId, String subject) {
    static final int MAX_EVENT_ID_BYTES = 2_048;
    static final int MAX_SUBJECT_BYTES = 1_024;
    private static final String DIGEST_MARK = "#sha256:";
    /** The mark and 64 hex digits. */
    private static final int DIGEST_BYTES = DIGEST_MARK.length() + 64;

    public LedgerKey {
        eventId = fit(eventId, MAX_EVENT_ID_BYTES);
        subject = fit(subject, MAX_SUBJECT_BYTES);
    }

    public static LedgerKey of(String eventId, String rule, String resource) {
        return new LedgerKey(eventId, rule + "#" + resource);
    }

    /** The text itself when it fits; else as much of its head as leaves room for the digest of the whole. */
    static String fit(String text, int maxBytes) {
        if (Excerpt.head(text, maxBytes).length() == text.length()) {
            return text;
        }
        return Excerpt.head(text, maxBytes - DIGEST_BYTES) + DIGEST_MARK
                + HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
