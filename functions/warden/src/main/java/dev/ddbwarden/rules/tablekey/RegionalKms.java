package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.config.AccountClients;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A KMS client for each account and region a key lives in, built on first use from the SDK's chain (so
 * AWS_ENDPOINT_URL points it at moto_server) with AccountAccess's credentials for the key's account, and kept for the
 * container: only the table-key function ever builds one.
 */
@FunctionalInterface
interface RegionalKms {

    KmsClient in(String account, String region);

    /** The client for the key {@code keyArn} names, in its own account and region. */
    default KmsClient of(String keyArn) {
        return in(accountOf(keyArn), regionOf(keyArn));
    }

    static RegionalKms standard() {
        AccountClients<KmsClient> clients = AccountClients.of(KmsClient::builder);
        return clients::in;
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
