package dev.ddbwarden.state;

import dev.ddbwarden.config.Clients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CloudTrail client for each region an event was recorded in: LookupEvents answers only for the region
 * it is asked in. Built on first use (most events never need one), then kept, once per container.
 */
@FunctionalInterface
public interface RegionalTrail {

    CloudTrailClient in(String region);

    /** Clients from the SDK's default chain, built when a region is first asked for. */
    static RegionalTrail standard() {
        Map<String, CloudTrailClient> clients = new ConcurrentHashMap<>();
        return region -> clients.computeIfAbsent(region, r -> Clients.standard(CloudTrailClient.builder())
                .region(Region.of(r))
                .build());
    }
}
