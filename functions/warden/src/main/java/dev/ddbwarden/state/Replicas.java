package dev.ddbwarden.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.List;
import java.util.Optional;

/**
 * The regions of a table's global-table replicas (version 2019.11.21), from its description at no call of
 * its own. Read by two rules, so kept here: the region guard removes replicas in forbidden regions, and
 * deletion protection leaves such a replica unprotected so that protection cannot stand in that removal's way.
 */
public record Replicas(List<String> regions) implements TablePart {
    public static final Augment<Replicas> AUGMENT = Augment.described(Replicas.class, Replicas::of);

    public Replicas {
        regions = List.copyOf(regions);
    }

    /** The replicas a description lists. */
    public static Replicas of(TableDescription table) {
        return new Replicas(table.replicas().stream().map(ReplicaDescription::regionName).toList());
    }

    @Override
    public void summarise(ObjectNode summary) {
        if (!regions.isEmpty()) {
            regions.forEach(summary.putArray("replicaRegions")::add);
        }
    }

    @Override
    public Optional<TablePart> describedBy(TableDescription described) {
        return Optional.of(of(described));
    }
}
