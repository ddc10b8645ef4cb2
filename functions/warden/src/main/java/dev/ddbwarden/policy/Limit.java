package dev.ddbwarden.policy;

/**
 * What one trusted condition key does to who can use a statement.
 *
 * @param key     the condition key as written
 * @param subject what it limits to, for the reason (e.g. "organization o-abc")
 */
record Limit(String key, Reach reach, String subject) {

    enum Reach {
        /** Only trusted accounts or organizations can meet it. */
        TRUSTED_ONLY,
        /** It names an account or organization that is not trusted. */
        ADMITS_UNTRUSTED,
        /**
         * It limits, but to something that maps to no account (a VPC, an endpoint, a service, a bucket
         * ARN): DynamoDB counts that as private, though it cannot show the caller is trusted.
         */
        OPAQUE
    }
}
