package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.config.Clients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A KMS client for each region a key lives in, built on first use from the SDK's chain (so AWS_ENDPOINT_URL points
 * it at moto_server) and kept for the container: only the table-key function ever builds one.
 */
@FunctionalInterface
interface RegionalKms {

    KmsClient in(String region);

    static RegionalKms standard() {
        Map<String, KmsClient> clients = new ConcurrentHashMap<>();
        return region -> clients.computeIfAbsent(region, r -> Clients.standard(KmsClient.builder()).region(Region.of(r)).build());
    }

    /**
     * KMS refusing the caller: its key policy does not allow ddb-warden (IAM alone cannot grant a key's use), not a
     * permission a retry could find.
     */
    static boolean refused(KmsException e) {
        return e.awsErrorDetails() != null && "AccessDeniedException".equals(e.awsErrorDetails().errorCode());
    }

    /** The region of a key ARN. */
    static String regionOf(String keyArn) {
        return keyArn.split(":", 6)[3];
    }

    /** The account of a key ARN. */
    static String accountOf(String keyArn) {
        return keyArn.split(":", 6)[4];
    }
}
