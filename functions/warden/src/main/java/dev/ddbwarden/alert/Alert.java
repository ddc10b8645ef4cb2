package dev.ddbwarden.alert;

import dev.ddbwarden.event.Excerpt;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One SNS message: a subject and body for people, and attributes subscribers filter on
 * ({@code severity}, {@code rule}, {@code account}, {@code region}). Whatever made it, it holds what SNS
 * accepts: the subject within SNS's rules, the body within {@link #MAX_BODY_BYTES}. Those two are a
 * safety net: the composers bound what they quote so that neither ever has to cut.
 */
public record Alert(String subject, String body, Map<String, String> attributes, Optional<AlertFacts> facts) {
    /**
     * UTF-8 bytes of body: whole in the alert's ledger entry (which keeps 70,000 bytes of a text, and
     * sends that copy when a retry finishes the alert), and far under SNS's 256 KB message.
     */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public Alert {
        subject = Subject.of(subject);
        body = Excerpt.of(body, MAX_BODY_BYTES);
        attributes = Map.copyOf(attributes);
    }

    /** An alert with text only (a summary, a refusal, one re-sent from a ledger entry that kept no facts). */
    public Alert(String subject, String body, Map<String, String> attributes) {
        this(subject, body, attributes, Optional.empty());
    }

    /**
     * Two alerts are the same message when their text and attributes are: the ledger keeps the facts cut to what a
     * finding uses of them (and older entries none), so an alert read back from it equals the one that was composed.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Alert that && subject.equals(that.subject) && body.equals(that.body)
                && attributes.equals(that.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subject, body, attributes);
    }
}
