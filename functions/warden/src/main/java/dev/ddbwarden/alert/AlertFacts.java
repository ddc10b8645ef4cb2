package dev.ddbwarden.alert;

import dev.ddbwarden.check.Severity;

import java.time.Instant;

/**
 * What an alert is about, as fields rather than prose: what a channel that files findings (Security Hub) or renders
 * cards (chat) needs besides the text. Only the composers of a finding's alert make it; the ledger keeps it with the
 * alert's text (each field within what a finding uses), so an alert re-sent from the ledger files its finding too; one
 * from an entry written before the ledger kept them has none.
 *
 * @param resourceKind  "DynamoDB table", or a {@link dev.ddbwarden.event.ResourceRef#kind()}
 * @param remediation   what a person should do, or what ddb-warden did when nothing is left to do
 * @param resolved      whether the resource is compliant again (ddb-warden fixed it, or found it fixed)
 * @param eventSource   the call's service ({@code dynamodb.amazonaws.com}), or {@code ddb-warden} for the sweep
 */
public record AlertFacts(String rule, Severity severity, String resourceKind, String resourceArn, String resourceName,
                         String accountId, String region, String partition, String title, String detail,
                         String remediation, String actor, String eventName, String eventSource, String eventId,
                         String sourceIp, Instant observedAt, boolean resolved) {

    /** The same facts, placed in {@code otherRegion}. */
    public AlertFacts inRegion(String otherRegion) {
        return new AlertFacts(rule, severity, resourceKind, resourceArn, resourceName, accountId, otherRegion, partition, title,
                detail, remediation, actor, eventName, eventSource, eventId, sourceIp, observedAt, resolved);
    }
}
