package dev.ddbwarden.rules.encryption;

import dev.ddbwarden.config.Clients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A KMS client for each region a table lives in (a key encrypts only tables of its own region), built on first use
 * from the SDK's default chain, so AWS_ENDPOINT_URL points it at moto_server too, and kept for the container.
 */
@FunctionalInterface
interface Keys {

    KmsClient in(String region);

    static Keys standard() {
        Map<String, KmsClient> clients = new ConcurrentHashMap<>();
        return region -> clients.computeIfAbsent(region, r -> Clients.standard(KmsClient.builder()).region(Region.of(r)).build());
    }
}
