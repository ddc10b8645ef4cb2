package dev.ddbwarden.rules.egress;

import java.util.List;
import java.util.Set;

/**
 * The table's Kinesis streaming destinations, as DescribeKinesisStreamingDestination lists them.
 *
 * @param destinations every destination DynamoDB still lists, whatever its status
 */
record KinesisDestinations(List<Destination> destinations) {
    /** The statuses in which a table's changes flow, or are about to, into the stream. */
    private static final Set<String> FLOWING = Set.of("ENABLING", "ACTIVE", "UPDATING");

    KinesisDestinations {
        destinations = List.copyOf(destinations);
    }

    /** @param status DynamoDB's DestinationStatus: ENABLING, ACTIVE, DISABLING, DISABLED, ENABLE_FAILED, UPDATING */
    record Destination(String streamArn, String status) {
        boolean flowing() {
            return FLOWING.contains(status);
        }
    }

    List<Destination> flowing() {
        return destinations.stream().filter(Destination::flowing).toList();
    }

    boolean lists(String streamArn) {
        return destinations.stream().anyMatch(d -> d.streamArn().equals(streamArn));
    }

    /** These destinations after DynamoDB accepted to stop streaming to {@code streamArns}. */
    KinesisDestinations disabling(List<String> streamArns) {
        return new KinesisDestinations(destinations.stream()
                .map(d -> streamArns.contains(d.streamArn()) && d.flowing() ? new Destination(d.streamArn(), "DISABLING") : d)
                .toList());
    }
}
