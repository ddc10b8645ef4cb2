package dev.ddbwarden.handler;

import dev.ddbwarden.rules.Rule;

import java.util.Set;

/**
 * IAM actions the shared pipeline needs in every function, beside each rule's own table actions
 * ({@link dev.ddbwarden.rules.Rule#tableActions()}). template.yaml grants exactly these; a test holds it to that.
 */
public final class Grants {
    /** The ledger: read an entry, open it conditionally, close it. */
    public static final Set<String> LEDGER = Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
    /**
     * Reading the settings parameter (a String parameter: no KMS key). The Service Authorization Reference lists
     * GetParameter on the parameter resource with no dependent action.
     */
    public static final Set<String> SETTINGS = Set.of("ssm:GetParameter");
    /**
     * Reading the OUs above a call's or a swept table's account, when an override names an OU (SETTINGS_OVERRIDES): every
     * rule function and the sweep, not the watcher, which guards the security account's own stack. The Service
     * Authorization Reference lists ListParents on the account and OU resources with no dependent action.
     */
    public static final Set<String> ACCOUNT_SETTINGS = Set.of("organizations:ListParents");
    /** Publishing to the KMS-encrypted alert topic, and reading its attributes (SnapStart priming warms the client). */
    public static final Set<String> ALERT = Set.of("sns:Publish", "sns:GetTopicAttributes", "kms:GenerateDataKey",
            "kms:Decrypt");
    /**
     * Filing findings in Security Hub (SECURITY_HUB_FINDINGS) under the account's default product. The chat copy of
     * each alert (CHAT_NOTIFICATIONS) needs ALERT's actions on the chat topic, encrypted with the same key.
     */
    public static final Set<String> FINDINGS = Set.of("securityhub:BatchImportFindings");
    /** Sending to and consuming the delayed re-check queue, and the on-failure destination. */
    public static final Set<String> QUEUES = Set.of("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:GetQueueAttributes");
    /** The on-failure destination alone, for a function with no re-check queue ({@code Rule.rechecks()}). */
    public static final Set<String> FAILURE = Set.of("sqs:SendMessage");

    /** The queue actions {@code rule}'s function needs. */
    public static Set<String> queues(Rule rule) {
        return rule.rechecks() ? QUEUES : FAILURE;
    }
    /**
     * Confirming who made a call with CloudTrail's record, for a rule whose decision may turn on it
     * ({@link dev.ddbwarden.rules.Rule#decidesOnActor()}). LookupEvents takes no resource-level permissions.
     */
    public static final Set<String> CONFIRM_ACTOR = Set.of("cloudtrail:LookupEvents");
    /** Writing the function's own log group. */
    public static final Set<String> LOGS = Set.of("logs:CreateLogStream", "logs:PutLogEvents");

    private Grants() {
    }
}
