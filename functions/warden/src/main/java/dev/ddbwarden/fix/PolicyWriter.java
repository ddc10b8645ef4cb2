package dev.ddbwarden.fix;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
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
public final class PolicyWriter {
    /** DynamoDB blocks a policy update for 15 seconds after the previous one on the same resource. */
    static final Duration POLICY_UPDATE_BLOCK = Duration.ofSeconds(15);

    private PolicyWriter() {
    }

    /**
     * Writes the cut's policy, or deletes the policy when the cut leaves none.
     *
     * @param before       the table as known before this write
     * @param progressMade whether earlier parts of the same remedy were already applied
     * @param remaining    what is left of the remedy, this write included, should DynamoDB refuse it for now
     * @return {@code before} with the policy as written under the revision DynamoDB answered with, or without
     *         it after a delete; empty when a put's answer carries no revision, so only a read can tell
     */
    public static Optional<TableState> write(DynamoDbClient dynamo, Remedy.PolicyCut cut, TableState before,
                                      boolean progressMade, Supplier<Remedy> remaining) {
        String resourceArn = cut.resourceArn();
        Optional<String> policy = cut.rewritten();
        String expectedRevision = cut.revisionId();
        try {
            if (policy.isEmpty()) {
                dynamo.deleteResourcePolicy(r -> r.resourceArn(resourceArn).expectedRevisionId(expectedRevision));
                return Optional.of(withPolicy(before, resourceArn, Optional.empty()));
            }
            String revision = dynamo.putResourcePolicy(r -> r.resourceArn(resourceArn).policy(policy.get())
                    .expectedRevisionId(expectedRevision)).revisionId();
            return Optional.ofNullable(revision)
                    .map(r -> withPolicy(before, resourceArn,
                            Optional.of(new ResourcePolicy(resourceArn, policy.get(), r))));
        } catch (PolicyNotFoundException e) {
            throw new StateMoved("the policy of " + resourceArn + " is no longer revision " + expectedRevision,
                    progressMade, e);
        } catch (ResourceInUseException | LimitExceededException e) {
            throw new ResourceBusy("DynamoDB refused to update the policy of " + resourceArn + " yet",
                    POLICY_UPDATE_BLOCK, progressMade ? remaining.get() : null, e);
        }
    }

    /** The state with the policy of {@code resourceArn} as the write left it. */
    private static TableState withPolicy(TableState before, String resourceArn, Optional<ResourcePolicy> policy) {
        return before.withAugment(ResourcePolicies.class,
                before.augment(ResourcePolicies.class).orElse(ResourcePolicies.NONE).with(resourceArn, policy));
    }
}
