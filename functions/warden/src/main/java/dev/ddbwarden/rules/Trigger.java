package dev.ddbwarden.rules;

import dev.ddbwarden.event.ApiCall;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One CloudTrail call a rule reads: the EventBridge {@code source} it arrives from (DynamoDB's own, or KMS's,
 * AWS Backup's, IAM's for rules that watch what surrounds a table), its event name, and the request fields its
 * EventBridge pattern filters that call on (dotted paths under {@code requestParameters}, as the pattern nests
 * them; none when every such call counts). TemplatePatternContractTest holds the rule's function's patterns to
 * exactly these.
 *
 * @param source EventBridge's {@code source}, {@code aws.<service>}; CloudTrail's {@code eventSource} follows from it
 */
public record Trigger(String source, String eventName, Set<String> requestFields) {
    public static final String DYNAMODB = "aws.dynamodb";
    public static final String BACKUP = "aws.backup";
    /** The event name of a trigger that takes every call of its service (its pattern names none: the iam-users rule). */
    public static final String ANY = "*";

    public Trigger {
        if (!source.startsWith("aws.")) {
            throw new IllegalArgumentException("an EventBridge source of an AWS service starts with 'aws.': " + source);
        }
        requestFields = Set.copyOf(requestFields);
    }

    /** A DynamoDB call that counts whatever its request says. */
    public static Trigger on(String eventName) {
        return new Trigger(DYNAMODB, eventName, Set.of());
    }

    /** A DynamoDB call that counts only when its request has these fields (with the values the pattern names). */
    public static Trigger on(String eventName, String... requestFields) {
        return new Trigger(DYNAMODB, eventName, Set.of(requestFields));
    }

    /** A call of another service ({@code aws.kms}, {@code aws.backup}, ...), filtered on these request fields. */
    public static Trigger from(String source, String eventName, String... requestFields) {
        return new Trigger(source, eventName, Set.of(requestFields));
    }

    /**
     * Every call of another service, whatever its name: the pattern filters on something else (who called). The
     * pattern names no eventName, so its cost is the service's whole traffic matched: keep its other filters tight.
     */
    public static Trigger anyFrom(String source) {
        return new Trigger(source, ANY, Set.of());
    }

    /**
     * CloudTrail's {@code eventSource} for this trigger's service ({@code kms.amazonaws.com} for {@code aws.kms}):
     * a record another service wrote under a rule's event name is not that rule's call.
     */
    public String eventSource() {
        return source.substring("aws.".length()) + ".amazonaws.com";
    }

    /** Whether {@code call} is this trigger's call (its request fields are the pattern's business, not checked here). */
    public boolean matches(ApiCall call) {
        return (eventName.equals(ANY) || eventName.equals(call.eventName())) && eventSource().equals(call.eventSource());
    }

    static Set<String> eventNames(List<Trigger> triggers) {
        Set<String> names = new LinkedHashSet<>();
        triggers.forEach(t -> names.add(t.eventName()));
        return Set.copyOf(names);
    }
}
