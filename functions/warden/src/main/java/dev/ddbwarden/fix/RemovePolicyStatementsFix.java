package dev.ddbwarden.fix;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Writes each policy back without its leaking statements, or deletes it when none would remain, always
 * conditional on the revision that was read: a policy someone changed meanwhile is never overwritten.
 */
final class RemovePolicyStatementsFix implements Fix<Remedy.RemovePolicyStatements> {
    /** DynamoDB blocks a policy update for 15 seconds after the previous one on the same resource. */
    static final Duration POLICY_UPDATE_BLOCK = Duration.ofSeconds(15);

    private final DynamoDbClient dynamo;

    RemovePolicyStatementsFix(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<Remedy.RemovePolicyStatements> remedy() {
        return Remedy.RemovePolicyStatements.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy");
    }

    @Override
    public Outcome apply(Remedy.RemovePolicyStatements remedy, TableState state) {
        List<Remedy.PolicyCut> cuts = remedy.cuts();
        for (int i = 0; i < cuts.size(); i++) {
            Remedy.PolicyCut cut = cuts.get(i);
            try {
                if (cut.rewritten().isPresent()) {
                    dynamo.putResourcePolicy(r -> r.resourceArn(cut.resourceArn())
                            .policy(cut.rewritten().get())
                            .expectedRevisionId(cut.revisionId()));
                } else {
                    dynamo.deleteResourcePolicy(r -> r.resourceArn(cut.resourceArn()).expectedRevisionId(cut.revisionId()));
                }
            } catch (PolicyNotFoundException e) {
                throw new StateMoved("the policy of " + cut.resourceArn() + " is no longer revision " + cut.revisionId(),
                        i > 0, e);
            } catch (ResourceInUseException | LimitExceededException e) {
                throw new ResourceBusy("DynamoDB refused to update the policy of " + cut.resourceArn() + " yet",
                        POLICY_UPDATE_BLOCK, i > 0 ? new Remedy.RemovePolicyStatements(cuts.subList(i, cuts.size())) : null, e);
            } catch (ResourceNotFoundException e) {
                return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could change its policy.");
            }
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done());
    }
}
