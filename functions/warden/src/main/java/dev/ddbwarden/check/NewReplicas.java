package dev.ddbwarden.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.Replicas;
import dev.ddbwarden.state.TableState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The replicas an UpdateTable creates ({@code replicaUpdates[].create.regionName}), each a table of its own
 * region with its own deletion protection, which starts off. Which of them the deletion-protection rule
 * protects, and which it leaves to the region guard: a replica outside the allowed regions is the region
 * guard's to remove, and protection could stand in the way of that removal (the pages consulted do not say
 * whether a replica delete honours it; "Best practices for global tables" says each replica has its own). Pure.
 */
public final class NewReplicas {
    private static final String UPDATE_TABLE = "UpdateTable";

    private NewReplicas() {
    }

    /** The regions the call creates replicas in, other than the source table's own. */
    public static Set<String> regions(ApiCall call) {
        Set<String> regions = new TreeSet<>();
        JsonNode updates = call.requestParameters().path("replicaUpdates");
        if (UPDATE_TABLE.equals(call.eventName()) && updates.isArray()) {
            for (JsonNode update : updates) {
                JsonNode region = update.path("create").path("regionName");
                if (region.isTextual() && !region.asText().equals(call.region())) {
                    regions.add(region.asText());
                }
            }
        }
        return regions;
    }

    /** The replica tables the call creates: the source's name, in each new replica's region. */
    public static List<TableRef> tables(ApiCall call, TableRef source) {
        List<TableRef> tables = new ArrayList<>();
        for (String region : regions(call)) {
            tables.add(new TableRef(source.partition(), region, source.accountId(), source.name()));
        }
        return tables;
    }

    /** Whether {@code table} is a replica this call creates in a region where it may live. */
    public static boolean isAllowedNewReplica(ApiCall call, TableRef table, Settings settings) {
        return regions(call).contains(table.region()) && allowed(table.region(), settings);
    }

    /**
     * Whether {@code table} is a global table's replica (one this call creates, or one the live state shows
     * with peers) outside the allowed regions: the region guard removes it, so it must not be protected first.
     */
    public static boolean isForbiddenReplica(ApiCall call, TableRef table, Optional<TableState> state, Settings settings) {
        if (allowed(table.region(), settings)) {
            return false;
        }
        return regions(call).contains(table.region())
                || state.flatMap(s -> s.augment(Replicas.class)).map(r -> !r.regions().isEmpty()).orElse(false);
    }

    /**
     * An empty ALLOWED_REGIONS forbids nothing here: the region guard refuses to start on it, and leaving
     * replicas unprotected because of a missing setting would fail open.
     */
    private static boolean allowed(String region, Settings settings) {
        return settings.allowedRegions().isEmpty() || settings.allowedRegions().contains(region);
    }
}
