package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.event.ApiCall;

import java.util.Optional;
import java.util.regex.Pattern;

/** Which key a KMS call is about: its record's resources (KMS lists the key's ARN there), else its request's keyId. */
final class KeyCalls {
    private static final Pattern KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[\\w-]{1,128}");
    private static final Pattern KEY_ID = Pattern.compile("[\\w-]{1,128}");

    private KeyCalls() {
    }

    /** The key's ARN; empty when the call names none ddb-warden can read (an alias, a grant token alone). */
    static Optional<String> keyArn(ApiCall call) {
        for (String arn : call.resourceArns()) {
            if (KEY_ARN.matcher(arn).matches()) {
                return Optional.of(arn);
            }
        }
        String keyId = call.request("keyId");
        if (KEY_ARN.matcher(keyId).matches()) {
            return Optional.of(keyId);
        }
        if (!keyId.isEmpty() && KEY_ID.matcher(keyId).matches() && !keyId.startsWith("alias")) {
            return Optional.of("arn:" + partition(call.region()) + ":kms:" + call.region() + ":" + call.accountId() + ":key/"
                    + keyId);
        }
        return Optional.empty();
    }

    private static String partition(String region) {
        return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }
}
