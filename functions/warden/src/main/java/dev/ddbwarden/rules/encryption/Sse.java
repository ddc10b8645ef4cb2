package dev.ddbwarden.rules.encryption;

import java.util.Optional;

/**
 * Which key encrypts a table at rest, as DescribeTable's SSEDescription and KMS DescribeKey tell it.
 *
 * @param keyArn   the KMS key's ARN, empty for an AWS owned key (DynamoDB names none)
 * @param keyState the key's state as DescribeKey gives it (Enabled, Disabled, PendingDeletion...), empty when not read
 */
record Sse(Kind kind, Optional<String> keyArn, Optional<String> keyState) {

    enum Kind {
        /** No SSEDescription, or not SSEType KMS: DynamoDB's own key, in DynamoDB's account. */
        AWS_OWNED,
        /** The account's aws/dynamodb key: KMS says KeyManager AWS. */
        AWS_MANAGED,
        /** A customer managed key: KMS says KeyManager CUSTOMER. */
        CUSTOMER,
        /** A key of another account, not described: its owner decides who may use it and when it goes. */
        OTHER_ACCOUNT,
        /** A key of this account that KMS would not describe to ddb-warden: not known to be customer managed. */
        UNREADABLE
    }

    static Sse awsOwned() {
        return new Sse(Kind.AWS_OWNED, Optional.empty(), Optional.empty());
    }

    /** The account a key ARN names ({@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID}), empty for anything else. */
    static Optional<String> accountOf(String keyArn) {
        String[] parts = keyArn.split(":", 6);
        return parts.length == 6 && "kms".equals(parts[2]) && parts[5].startsWith("key/") ? Optional.of(parts[4]) : Optional.empty();
    }

    /** The region a key ARN names, empty for anything else. */
    static Optional<String> regionOf(String keyArn) {
        String[] parts = keyArn.split(":", 6);
        return parts.length == 6 && "kms".equals(parts[2]) && parts[5].startsWith("key/") ? Optional.of(parts[3]) : Optional.empty();
    }

    @Override
    public String toString() {
        return kind + keyArn.map(arn -> " " + arn).orElse("") + keyState.map(state -> " (" + state + ")").orElse("");
    }
}
