package dev.ddbwarden.state;

import dev.ddbwarden.config.Clients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DynamoDB client for each region a table lives in. Events forwarded from other regions, and
 * replicas, name tables outside the home region; each is read and fixed with a client for its own
 * region, built like the home one (the SDK's chain gives credentials and endpoint), once per container.
 */
@FunctionalInterface
public interface RegionalDynamo {

    DynamoDbClient in(String region);

    /** One client for every region: for tests with a mocked client. */
    static RegionalDynamo single(DynamoDbClient client) {
        return region -> client;
    }

    /** The home client for its own region; a client built on first use, then kept, for any other. */
    static RegionalDynamo around(DynamoDbClient home) {
        String homeRegion = home.serviceClientConfiguration().region().id();
        Map<String, DynamoDbClient> clients = new ConcurrentHashMap<>(Map.of(homeRegion, home));
        return region -> clients.computeIfAbsent(region, r -> Clients.standard(DynamoDbClient.builder())
                .region(Region.of(r))
                .build());
    }
}
