package dev.ddbwarden.rules.encryption;

import dev.ddbwarden.config.AccountClients;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A KMS client for each account and region a table lives in (a key encrypts only tables of its own region), built on
 * first use from the SDK's default chain, so AWS_ENDPOINT_URL points it at moto_server too, with AccountAccess's
 * credentials for the table's account, and kept for the container.
 */
@FunctionalInterface
interface Keys {

    KmsClient in(String account, String region);

    static Keys standard() {
        AccountClients<KmsClient> clients = AccountClients.of(KmsClient::builder);
        return clients::in;
    }
}
