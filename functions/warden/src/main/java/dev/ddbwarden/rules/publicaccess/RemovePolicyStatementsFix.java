package dev.ddbwarden.rules.publicaccess;

import dev.ddbwarden.check.Remedy.PolicyCut;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.PolicyWriter;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes each policy back without its leaking statements, or deletes it when none would remain, always
 * conditional on the revision that was read: a policy someone changed meanwhile is never overwritten.
 */
final class RemovePolicyStatementsFix implements Fix<PublicAccessRemedy.RemovePolicyStatements> {
    private final RegionalDynamo dynamo;

    RemovePolicyStatementsFix(RegionalDynamo dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<PublicAccessRemedy.RemovePolicyStatements> remedy() {
        return PublicAccessRemedy.RemovePolicyStatements.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy");
    }

    @Override
    public Outcome apply(PublicAccessRemedy.RemovePolicyStatements remedy, TableState state) {
        List<PolicyCut> cuts = remedy.cuts();
        Optional<TableState> after = Optional.of(state);
        for (int i = 0; i < cuts.size(); i++) {
            PolicyCut cut = cuts.get(i);
            List<PolicyCut> rest = cuts.subList(i, cuts.size());
            Optional<TableState> written;
            try {
                written = PolicyWriter.write(dynamo.in(state.ref()), cut, after.orElse(state), i > 0,
                        () -> new PublicAccessRemedy.RemovePolicyStatements(rest));
            } catch (ResourceNotFoundException e) {
                return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could change its policy.");
            }
            after = after.isPresent() ? written : after;
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done(), after);
    }
}
