package dev.ddbwarden.state;

import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.AccountClients;
import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB client for each account and region a table lives in. Events forwarded from other regions, and
 * replicas, name tables outside the home region, and in an Organization events name member accounts; each table is
 * read and fixed with a client for its own account and region ({@link AccountClients}), once per container.
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

    /** The home client where the function acts as itself in the home region; a client built on first use elsewhere. */
    static RegionalDynamo around(DynamoDbClient home, AccountAccess access) {
        return AccountClients.of(DynamoDbClient::builder, () -> access)
                .with(home.serviceClientConfiguration().region().id(), home)::in;
    }
}
