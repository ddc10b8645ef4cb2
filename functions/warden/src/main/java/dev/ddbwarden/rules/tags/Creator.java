package dev.ddbwarden.rules.tags;

import dev.ddbwarden.event.ApiCall;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The creator tags a new table should carry (TAG_CREATOR), as the call that made it says: the caller's ARN and the
 * call's time. Pure.
 *
 * @param arn         the caller's ARN, exactly as CloudTrail recorded it (the alert and the ledger quote it)
 * @param toAdd       the creator tags the table lacks, to be added; a key already set is never in it
 * @param disagreeing the table's created-by value when it names someone other than the caller
 */
record Creator(String arn, Map<String, String> toAdd, Optional<String> disagreeing) {
    /** What DynamoDB refuses in a tag value (TaggingRestrictions.html: letters, white space, numbers, + - = . _ : /). */
    private static final Pattern REFUSED = Pattern.compile("[^\\p{L}\\p{N}\\s+\\-=._:/]");
    private static final int LONGEST_VALUE = 256;

    Creator {
        toAdd = Map.copyOf(toAdd);
    }

    /** Empty when the call names no caller ARN (an AWS service acting on its own). */
    static Optional<Creator> of(ApiCall call, Map<String, String> liveTags) {
        String arn = call.actor().arn();
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> value = tagValue(arn);
        Map<String, String> toAdd = new LinkedHashMap<>();
        value.filter(v -> !liveTags.containsKey(TagsRule.CREATED_BY)).ifPresent(v -> toAdd.put(TagsRule.CREATED_BY, v));
        call.eventTime().map(Instant::toString).filter(v -> !liveTags.containsKey(TagsRule.CREATED_AT))
                .ifPresent(v -> toAdd.put(TagsRule.CREATED_AT, v));
        String tagged = liveTags.get(TagsRule.CREATED_BY);
        Optional<String> disagreeing = tagged == null || tagged.equals(arn) || value.filter(tagged::equals).isPresent()
                ? Optional.empty() : Optional.of(tagged);
        return Optional.of(new Creator(arn, toAdd, disagreeing));
    }

    /**
     * The ARN as a tag value: as it is, but for characters DynamoDB refuses in a tag (an {@code @} or a {@code ,} in a
     * session name), each written {@code _}; empty when it is longer than a tag value may be.
     */
    static Optional<String> tagValue(String arn) {
        String value = REFUSED.matcher(arn).replaceAll("_");
        return value.length() > LONGEST_VALUE ? Optional.empty() : Optional.of(value);
    }

    boolean nothingToDo() {
        return toAdd.isEmpty() && disagreeing.isEmpty();
    }
}
