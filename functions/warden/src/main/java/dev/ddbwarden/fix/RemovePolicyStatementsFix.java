package dev.ddbwarden.fix;

import dev.ddbwarden.check.Remedy;
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
final class RemovePolicyStatementsFix implements Fix<Remedy.RemovePolicyStatements> {
    private final RegionalDynamo dynamo;

    RemovePolicyStatementsFix(RegionalDynamo dynamo) {
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
        Optional<TableState> after = Optional.of(state);
        for (int i = 0; i < cuts.size(); i++) {
            Remedy.PolicyCut cut = cuts.get(i);
            List<Remedy.PolicyCut> rest = cuts.subList(i, cuts.size());
            Optional<TableState> written;
            try {
                written = PolicyWriter.write(dynamo.in(state.ref().region()), cut, after.orElse(state), i > 0,
                        () -> new Remedy.RemovePolicyStatements(rest));
            } catch (ResourceNotFoundException e) {
                return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could change its policy.");
            }
            after = after.isPresent() ? written : after;
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done(), after);
    }
}
