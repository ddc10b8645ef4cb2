package dev.ddbwarden.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/** What a principal or condition value names: an account, an ARN's account, or a pattern. */
final class PolicyValues {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    private PolicyValues() {
    }

    /** Whether the value matches more than itself: a wildcard or a policy variable in it. */
    static boolean isPattern(String value) {
        return value.contains("*") || value.contains("?") || value.contains("${");
    }

    static boolean isAccountId(String value) {
        return ACCOUNT_ID.matcher(value).matches();
    }

    static boolean isArn(String value) {
        return value.startsWith("arn:");
    }

    /** The account field (the fifth) of an ARN, possibly empty as in S3 bucket ARNs; empty for a non-ARN. */
    static Optional<String> arnAccount(String arn) {
        String[] fields = arn.split(":", 6);
        return isArn(arn) && fields.length == 6 ? Optional.of(fields[4]) : Optional.empty();
    }
}
