package dev.ddbwarden.rules.regionguard;

import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.check.Remedy.PolicyCut;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.PolicyWriter;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Holds the quarantine in the ledger, adds the quarantine statement to each policy, conditional on the
 * revision read, then tags the table: the tag counts only beside the statement and the ledger's decision
 * (TagTrust). The table and its items are untouched: nothing ddb-warden does to a table deletes data.
 */
final class QuarantineFix implements Fix<RegionGuardRemedy.Quarantine> {
    private final RegionalDynamo dynamo;
    private final Consumer<Hold> holds;
    private final Clock clock;

    QuarantineFix(RegionalDynamo dynamo, Consumer<Hold> holds, Clock clock) {
        this.dynamo = dynamo;
        this.holds = holds;
        this.clock = clock;
    }

    @Override
    public Class<RegionGuardRemedy.Quarantine> remedy() {
        return RegionGuardRemedy.Quarantine.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:PutResourcePolicy", "dynamodb:TagResource");
    }

    @Override
    public Outcome apply(RegionGuardRemedy.Quarantine remedy, TableState state) {
        DynamoDbClient client = dynamo.in(state.ref());
        List<PolicyCut> policies = remedy.policies();
        Optional<TableState> after = Optional.of(state);
        holds.accept(new Hold(Hold.Kind.QUARANTINE, state.ref().arn(), clock.instant(), Optional.empty()));
        try {
            for (int i = 0; i < policies.size(); i++) {
                PolicyCut cut = policies.get(i);
                List<PolicyCut> rest = policies.subList(i, policies.size());
                Optional<TableState> written = PolicyWriter.write(client, cut, after.orElse(state), i > 0,
                        () -> new RegionGuardRemedy.Quarantine(rest, remedy.tagValue()));
                after = after.isPresent() ? written : after;
            }
            client.tagResource(r -> r.resourceArn(state.ref().arn())
                    .tags(t -> t.key(QuarantineStatement.TAG_KEY).value(remedy.tagValue())));
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could quarantine it.");
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done(),
                after.map(s -> s.withTag(QuarantineStatement.TAG_KEY, remedy.tagValue())));
    }
}
