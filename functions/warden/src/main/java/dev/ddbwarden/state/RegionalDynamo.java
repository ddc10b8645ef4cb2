package dev.ddbwarden.state;

import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DynamoDB client for each account and region a table lives in. Events forwarded from other regions, and
 * replicas, name tables outside the home region, and in an Organization events name member accounts; each table is
 * read and fixed with a client for its own account and region, built like the home one (the SDK's chain gives the
 * endpoint; {@link AccountAccess} the credentials), once per container.
 */
@FunctionalInterface
public interface RegionalDynamo {

    DynamoDbClient in(String accountId, String region);

    /** The client for the table's own account and region. */
    default DynamoDbClient in(TableRef table) {
        return in(table.accountId(), table.region());
    }

    /** One client for every account and region: for tests with a mocked client. */
    static RegionalDynamo single(DynamoDbClient client) {
        return (account, region) -> client;
    }

    /** The home client for its own region, with the function's own credentials. */
    static RegionalDynamo around(DynamoDbClient home) {
        return around(home, AccountAccess.instance());
    }

    /**
     * The home client for the home region wherever the function's own credentials serve; a client built on first use,
     * then kept, for any other account and region.
     */
    static RegionalDynamo around(DynamoDbClient home, AccountAccess access) {
        String homeRegion = home.serviceClientConfiguration().region().id();
        Map<String, DynamoDbClient> clients = new ConcurrentHashMap<>();
        return (account, region) -> {
            if (access.actsAsItself(account)) {
                return region.equals(homeRegion) ? home : clients.computeIfAbsent(region, r -> Clients.standard(DynamoDbClient.builder())
                        .region(Region.of(r))
                        .build());
            }
            return clients.computeIfAbsent(account + "/" + region, key -> Clients.standard(DynamoDbClient.builder())
                    .region(Region.of(region))
                    .credentialsProvider(access.credentials(account))
                    .build());
        };
    }
}
