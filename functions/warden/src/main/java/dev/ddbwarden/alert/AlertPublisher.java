package dev.ddbwarden.alert;

import java.util.List;

/** Sends an alert and returns the ID the channel gave it. */
public interface AlertPublisher {
    String publish(Alert alert);

    /**
     * Rules found tables or other resources compliant where no alert was due (the sweep's look): a channel that keeps
     * findings (Security Hub) closes the rule's finding on each; a channel of messages has nothing to say. Never throws:
     * the look stands.
     */
    default void compliant(List<Compliant> found) {
    }

    /**
     * A rule that found a resource compliant, in the account and region its finding is filed in.
     *
     * @param resourceKind "DynamoDB table", or a {@link dev.ddbwarden.event.ResourceRef#kind()}
     */
    record Compliant(String rule, String resourceKind, String resourceArn, String region, String accountId) {
        /** A table, whose ARN names its region and account. */
        public static Compliant table(String rule, String tableArn) {
            String[] arn = tableArn.split(":", 6);
            return new Compliant(rule, AlertComposer.TABLE, tableArn, arn.length > 3 ? arn[3] : "", arn.length > 4 ? arn[4] : "");
        }
    }
}
