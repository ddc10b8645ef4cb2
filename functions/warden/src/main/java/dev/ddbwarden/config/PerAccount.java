package dev.ddbwarden.config;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.util.function.Function;

/**
 * One reader per account, for the clients ddb-warden builds itself around credentials (its signed-HTTP clients, and SDK
 * clients a rule keeps whole, which reach every region or a global service): kept per identity as
 * {@link AccountClients} keeps SDK clients, so one account builds one, as before.
 *
 * @param <T> the reader
 */
public final class PerAccount<T> implements Function<String, T> {
    /** The account the function runs in, for a read that names no account (the sweep's look beside tables). */
    public static final String OWN = "";
    private static final String EVERY_REGION = "aws-global";

    private final AccountClients<T> readers;

    private PerAccount(AccountClients<T> readers) {
        this.readers = readers;
    }

    /** Readers built by {@code build} from the account's credentials. */
    public static <T> PerAccount<T> of(Function<AwsCredentialsProvider, T> build) {
        return new PerAccount<>(new AccountClients<>(AccountAccess::instance, (identity, region) -> build.apply(identity.credentials())));
    }

    /** The reader for {@code accountId} ({@link #OWN}: the function's own account). */
    @Override
    public T apply(String accountId) {
        return readers.in(accountId, EVERY_REGION);
    }
}
