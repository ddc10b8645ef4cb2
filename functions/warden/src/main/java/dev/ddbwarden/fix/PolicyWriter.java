package dev.ddbwarden.fix;

import dev.ddbwarden.check.Remedy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every resource-policy write ddb-warden makes: conditional on the revision read, so that a policy
 * someone changed meanwhile is never overwritten, and with DynamoDB's refusals turned into what the
 * pipeline does about them.
 */
final class PolicyWriter {
    /** DynamoDB blocks a policy update for 15 seconds after the previous one on the same resource. */
    static final Duration POLICY_UPDATE_BLOCK = Duration.ofSeconds(15);

    private PolicyWriter() {
    }

    /**
     * Writes {@code policy}, or deletes the policy when it is empty.
     *
     * @param progressMade whether earlier parts of the same remedy were already applied
     * @param remaining    what is left of the remedy, this write included, should DynamoDB refuse it for now
     */
    static void write(DynamoDbClient dynamo, String resourceArn, Optional<String> policy, String expectedRevision,
                      boolean progressMade, Supplier<Remedy> remaining) {
        try {
            if (policy.isPresent()) {
                dynamo.putResourcePolicy(r -> r.resourceArn(resourceArn).policy(policy.get()).expectedRevisionId(expectedRevision));
            } else {
                dynamo.deleteResourcePolicy(r -> r.resourceArn(resourceArn).expectedRevisionId(expectedRevision));
            }
        } catch (PolicyNotFoundException e) {
            throw new StateMoved("the policy of " + resourceArn + " is no longer revision " + expectedRevision,
                    progressMade, e);
        } catch (ResourceInUseException | LimitExceededException e) {
            throw new ResourceBusy("DynamoDB refused to update the policy of " + resourceArn + " yet",
                    POLICY_UPDATE_BLOCK, progressMade ? remaining.get() : null, e);
        }
    }
}
