package dev.ddbwarden.alert;

import java.util.List;

/** Sends an alert and returns the ID the channel gave it. */
public interface AlertPublisher {
    String publish(Alert alert);

    /**
     * Rules found tables compliant where no alert was due (the sweep's look): a channel that keeps findings (Security
     * Hub) closes the rule's finding on each; a channel of messages has nothing to say. Never throws: the look stands.
     */
    default void compliant(List<Compliant> found) {
    }

    /** A rule that found a table compliant. */
    record Compliant(String rule, String tableArn) {
    }
}
