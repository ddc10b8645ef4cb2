package dev.ddbwarden.rules.regionguard;

import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes replicas in forbidden regions through the source table, so the data stays in the source.
 * A table still adding or removing a replica refuses the change: that is retried like any busy resource.
 */
final class RemoveReplicasFix implements Fix<RegionGuardRemedy.RemoveReplicas> {
    private static final Duration REPLICA_BUSY = Duration.ofSeconds(30);

    private final RegionalDynamo dynamo;

    RemoveReplicasFix(RegionalDynamo dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<RegionGuardRemedy.RemoveReplicas> remedy() {
        return RegionGuardRemedy.RemoveReplicas.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:UpdateTable", "dynamodb:DeleteTableReplica", "dynamodb:DeleteTable");
    }

    @Override
    public Outcome apply(RegionGuardRemedy.RemoveReplicas remedy, TableState state) {
        List<String> present = remedy.regions().stream().filter(RegionGuardRule.replicaRegions(state)::contains)
                .collect(Collectors.toList());
        if (present.isEmpty()) {
            return new Outcome(Outcome.Action.ALREADY_COMPLIANT, "The replicas were already gone.", state);
        }
        List<ReplicationGroupUpdate> deletes = present.stream()
                .map(region -> ReplicationGroupUpdate.builder().delete(d -> d.regionName(region)).build())
                .collect(Collectors.toList());
        TableDescription updated;
        try {
            updated = dynamo.in(state.ref())
                    .updateTable(r -> r.tableName(state.ref().arn()).replicaUpdates(deletes)).tableDescription();
        } catch (ResourceInUseException e) {
            throw new ResourceBusy("table " + state.ref().arn() + " is busy with its replicas", REPLICA_BUSY, null, e);
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The source table was deleted before ddb-warden could act.");
        }
        return new Outcome(Outcome.Action.FIXED, remedy.done(), TableReader.described(state, updated));
    }
}
