package dev.ddbwarden.state;

import dev.ddbwarden.config.AccountClients;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/**
 * A CloudTrail client for each account and region an event was recorded in: LookupEvents answers only for the
 * region it is asked in, and only with the calling account's events, so a member account's record is looked up
 * through its member role. Built on first use (most events never need one), then kept, once per container.
 */
@FunctionalInterface
public interface RegionalTrail {

    CloudTrailClient in(String account, String region);

    /** Clients from the SDK's chain with AccountAccess's credentials, built when an account and region are first asked for. */
    static RegionalTrail standard() {
        AccountClients<CloudTrailClient> clients = AccountClients.of(CloudTrailClient::builder);
        return clients::in;
    }
}
