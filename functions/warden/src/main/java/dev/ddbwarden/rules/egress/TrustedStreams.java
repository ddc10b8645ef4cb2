package dev.ddbwarden.rules.egress;

import dev.ddbwarden.config.ConfigException;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Kinesis data streams a table may stream its changes to: stream ARNs, or globs of them ({@code *} and
 * {@code ?}), as TRUSTED_STREAMS lists them. Empty means no list: any stream DynamoDB accepts (its own account
 * and region, which DynamoDB enforces) is trusted.
 */
record TrustedStreams(List<String> globs, List<Pattern> patterns) {
    static final String SETTING = "TRUSTED_STREAMS";
    /** A stream ARN, with globs allowed in the region, account and name. */
    private static final Pattern ENTRY = Pattern.compile("arn:aws[a-z-]*:kinesis:[a-z0-9*?-]{1,32}:[0-9*?]{1,12}:stream/[a-zA-Z0-9_.*?-]{1,128}");

    TrustedStreams {
        globs = List.copyOf(globs);
        patterns = List.copyOf(patterns);
    }

    static TrustedStreams parse(String raw) {
        List<String> entries = Arrays.stream(raw.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
        for (String entry : entries) {
            if (!ENTRY.matcher(entry).matches()) {
                throw new ConfigException(SETTING, "'" + entry + "' is not a Kinesis stream ARN "
                        + "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME, globs * and ? allowed)");
            }
        }
        return new TrustedStreams(entries, entries.stream().map(TrustedStreams::compile).toList());
    }

    static TrustedStreams none() {
        return new TrustedStreams(List.of(), List.of());
    }

    boolean isSet() {
        return !globs.isEmpty();
    }

    boolean trusts(String streamArn) {
        return !isSet() || patterns.stream().anyMatch(p -> p.matcher(streamArn).matches());
    }

    private static Pattern compile(String glob) {
        return Pattern.compile(glob.chars().mapToObj(c -> c == '*' ? "[^:]*" : c == '?' ? "[^:]"
                : Pattern.quote(String.valueOf((char) c))).collect(Collectors.joining()));
    }

    @Override
    public String toString() {
        return String.join(",", globs);
    }
}
