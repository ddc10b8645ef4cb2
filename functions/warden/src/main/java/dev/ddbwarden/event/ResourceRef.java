package dev.ddbwarden.event;

/**
 * A resource a call is about that is not a DynamoDB table (an AWS Backup vault, plan, selection or recovery
 * point), for an alert-only rule's decision on the record alone ({@code Rule.evaluateResource}).
 *
 * @param kind what it is, in words for the alert ("AWS Backup vault")
 * @param arn  its ARN, or for a part without one (a plan's selection) its owner's ARN and the part's ID: the
 *             ledger's subject, so one per event
 */
public record ResourceRef(String kind, String name, String arn, String region, String accountId) {
}
