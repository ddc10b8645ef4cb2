package dev.ddbwarden.state;

/**
 * A resource policy as DynamoDB holds it now. The revision ID is opaque: it is only ever compared for
 * equality and handed back on a conditional write.
 */
public record ResourcePolicy(String resourceArn, String document, String revisionId) {
}
