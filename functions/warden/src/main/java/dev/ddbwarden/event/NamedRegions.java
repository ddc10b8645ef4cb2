package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The regions a record names besides its own, where ddb-warden would act on them: the region of a table
 * named by ARN (a client is built for it) and the regions of replicas (compared with the live table,
 * quoted in commands). As data, like {@link TableLocator}'s paths.
 */
final class NamedRegions {
    /** Where replica regions sit: UpdateTable and UpdateGlobalTable updates, CreateGlobalTable's group. */
    private static final List<String> REPLICA_LISTS = List.of("replicaUpdates", "replicationGroup");
    private static final List<String> REPLICA_ACTIONS = List.of("create", "update", "delete");
    private static final String REGION_NAME = "regionName";

    private NamedRegions() {
    }

    /** Why the call names a region that cannot be real, or empty when every region it names can be. */
    static Optional<String> unreal(ApiCall call) {
        for (String named : TableLocator.named(call)) {
            String[] parts = named.split(":", 6);
            boolean dynamoDbArn = parts.length == 6 && parts[0].equals("arn") && parts[2].equals("dynamodb");
            if (dynamoDbArn && !RegionNames.isReal(parts[3])) {
                return Optional.of("the table ARN " + Excerpt.quoted(named) + " names region "
                        + Excerpt.quoted(parts[3]) + ", which is not an AWS region");
            }
        }
        for (String list : REPLICA_LISTS) {
            JsonNode replicas = call.requestParameters().path(list);
            for (JsonNode replica : replicas.isArray() ? replicas : List.<JsonNode>of()) {
                Optional<String> unreal = unrealReplica(list, replica);
                if (unreal.isPresent()) {
                    return unreal;
                }
            }
        }
        return Optional.empty();
    }

    /** A replica is named directly ({@code {regionName}}) or under its action ({@code {create: {regionName}}}). */
    private static Optional<String> unrealReplica(String list, JsonNode replica) {
        return Stream.concat(Stream.of(replica), REPLICA_ACTIONS.stream().map(replica::path))
                .map(place -> place.path(REGION_NAME))
                .filter(region -> region.isTextual() && !RegionNames.isReal(region.asText()))
                .findFirst()
                .map(region -> "requestParameters." + list + " names replica region " + Excerpt.quoted(region.asText())
                        + ", which is not an AWS region");
    }
}
