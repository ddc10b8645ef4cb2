package dev.ddbwarden.config;

import dev.ddbwarden.config.AccountAccess.Identity;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One SDK client of a kind for each identity ddb-warden acts as ({@link AccountAccess#identityIn}: itself, or a member
 * role's session) and region, built on first use like the home ones ({@link Clients#standard}: the SDK's chain gives
 * the endpoint) and kept for the container. Every account ddb-warden acts in as itself shares one, so a one-account
 * deployment builds one per region, as before.
 *
 * @param <C> the client
 */
public final class AccountClients<C> {
    /** Builds a client for a region, signing as the identity. */
    @FunctionalInterface
    interface Builder<C> {
        C build(Identity identity, Region region);
    }

    private record Key(Identity identity, String region) {
    }

    private final Supplier<AccountAccess> access;
    private final Builder<C> builder;
    private final Map<Key, C> clients = new ConcurrentHashMap<>();

    /** @param access asked for on first use: a container that never acts in an account never builds it */
    AccountClients(Supplier<AccountAccess> access, Builder<C> builder) {
        this.access = Lazy.of(access);
        this.builder = builder;
    }

    /** Clients from {@code newBuilder} (e.g. {@code KmsClient::builder}), per identity and region. */
    public static <C, B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>> AccountClients<C> of(Supplier<B> newBuilder) {
        return of(newBuilder, AccountAccess::instance);
    }

    /** As {@link #of(Supplier)}, asking {@code access} who ddb-warden is in each account. */
    public static <C, B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>> AccountClients<C> of(Supplier<B> newBuilder,
                                                                                                        Supplier<AccountAccess> access) {
        return new AccountClients<>(access, (identity, region) -> Clients.standard(newBuilder.get())
                .region(region)
                .credentialsProvider(identity.credentials())
                .build());
    }

    /** These clients, with {@code client} serving the function's own identity in {@code region} (the one it built at init). */
    public AccountClients<C> with(String region, C client) {
        clients.put(new Key(access.get().self(), region), client);
        return this;
    }

    /** The client for {@code account} in {@code region} (a global service's: {@code aws-global}). */
    public C in(String account, String region) {
        Identity identity = PerAccount.OWN.equals(account) ? access.get().self() : access.get().identityIn(account);
        return clients.computeIfAbsent(new Key(identity, region), key -> builder.build(identity, Region.of(region)));
    }
}
