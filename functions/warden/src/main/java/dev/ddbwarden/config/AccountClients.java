package dev.ddbwarden.config;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One SDK client of a kind for each account and region ddb-warden reads or fixes in, built on first use like the
 * home ones ({@link Clients#standard}: the SDK's chain gives the endpoint) with {@link AccountAccess}'s credentials
 * for the account (the function's own at home, the member role elsewhere), then kept for the container. A client of
 * the function's own credentials serves every account it acts in as itself, so a one-account deployment builds one
 * per region, as before.
 *
 * @param <C> the client
 */
public final class AccountClients<C> {
    /** Builds a client for (account, region) with the credentials AccountAccess gives that account. */
    @FunctionalInterface
    interface Builder<C> {
        C build(String account, Region region);
    }

    private final Supplier<AccountAccess> access;
    private final Builder<C> builder;
    private final Map<String, C> clients = new ConcurrentHashMap<>();

    /** @param access asked for on first use: a container that never acts in an account never builds it */
    AccountClients(Supplier<AccountAccess> access, Builder<C> builder) {
        this.access = Lazy.of(access);
        this.builder = builder;
    }

    /** Clients from {@code newBuilder} (e.g. {@code KmsClient::builder}), per account and region. */
    public static <C, B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>> AccountClients<C> of(Supplier<B> newBuilder) {
        return new AccountClients<>(AccountAccess::instance, (account, region) -> {
            B builder = Clients.standard(newBuilder.get()).region(region);
            AccountAccess access = AccountAccess.instance();
            if (!access.actsAsItself(account)) {
                builder.credentialsProvider(access.credentials(account));
            }
            return builder.build();
        });
    }

    /** The client for {@code account} in {@code region} (a global service's: {@code aws-global}). */
    public C in(String account, String region) {
        String key = access.get().actsAsItself(account) ? region : account + "/" + region;
        return clients.computeIfAbsent(key, k -> builder.build(account, Region.of(region)));
    }
}
