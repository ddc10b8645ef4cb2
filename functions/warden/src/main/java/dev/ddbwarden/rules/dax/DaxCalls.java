package dev.ddbwarden.rules.dax;

import dev.ddbwarden.event.ApiCall;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the records of the dax rule's calls name, read from their request (the API's parameters, first letter
 * lowercased, as CloudTrail records them: events/README.md says how sure that is). Values are checked against the
 * services' own patterns, so a forged record names nothing to look up.
 */
final class DaxCalls {
    /** DAX cluster names: a letter, then letters, digits and hyphens, at most 20. */
    private static final Pattern CLUSTER = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]{0,19}");
    /** IAM role names. */
    private static final Pattern ROLE = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/[\\w+=,.@/-]{1,1100}");

    private DaxCalls() {
    }

    static Optional<String> clusterName(ApiCall call) {
        return matching(call.request("clusterName"), CLUSTER);
    }

    static Optional<String> roleName(ApiCall call) {
        return matching(call.request("roleName"), ROLE);
    }

    static Optional<String> policyArn(ApiCall call) {
        return matching(call.request("policyArn"), POLICY_ARN);
    }

    /** A role's name from its ARN ({@code arn:aws:iam::ACCOUNT:role/PATH/NAME}): what IAM's calls take. */
    static String roleNameOf(String roleArn) {
        return roleArn.substring(roleArn.lastIndexOf('/') + 1);
    }

    private static Optional<String> matching(String value, Pattern pattern) {
        return pattern.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }
}
