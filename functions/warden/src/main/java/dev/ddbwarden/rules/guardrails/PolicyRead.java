package dev.ddbwarden.rules.guardrails;

/**
 * What AWS Organizations answered to DescribePolicy of the policy a call names: the policy as it is now, gone, or no
 * answer ddb-warden can decide on (refused, or an answer it cannot read). A call AWS Organizations could not answer
 * for a while is not one of these: it is thrown, so Lambda tries the event again.
 */
sealed interface PolicyRead {

    /**
     * @param type    SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY, TAG_POLICY, ...
     * @param content the policy document, as AWS Organizations keeps it
     */
    record Found(String id, String arn, String name, String type, boolean awsManaged, String content) implements PolicyRead {
    }

    /** PolicyNotFoundException: the policy was deleted (or never was). */
    record Gone(String reason) implements PolicyRead {
    }

    /** Refused (ddb-warden runs where it may not read policies) or answered with an error that settles nothing. */
    record Unreadable(String reason) implements PolicyRead {
    }
}
