package dev.ddbwarden.config;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One reader per account, for the clients ddb-warden builds itself around credentials (its signed-HTTP clients, and SDK
 * clients a rule keeps whole): built on first use with {@link AccountAccess}'s credentials for the account, then kept.
 * A reader of an account ddb-warden acts in as itself is shared, so one account builds one, as before.
 *
 * @param <T> the reader
 */
public final class PerAccount<T> implements Function<String, T> {
    /** The account the function runs in, for a read that names no account (the sweep's look beside tables). */
    public static final String OWN = "";
    private static final String SELF = "self";

    private final Function<AwsCredentialsProvider, T> build;
    private final Map<String, T> readers = new ConcurrentHashMap<>();

    private static final class Own {
        static final AwsCredentialsProvider CREDENTIALS = DefaultCredentialsProvider.builder().build();
    }

    private PerAccount(Function<AwsCredentialsProvider, T> build) {
        this.build = build;
    }

    /** Readers built by {@code build} from the account's credentials. */
    public static <T> PerAccount<T> of(Function<AwsCredentialsProvider, T> build) {
        return new PerAccount<>(build);
    }

    /** The reader for {@code accountId} ({@link #OWN}: the function's own account). */
    @Override
    public T apply(String accountId) {
        if (OWN.equals(accountId)) {
            // The function's own account: the SDK's default chain, as AccountAccess gives it at home.
            return readers.computeIfAbsent(SELF, key -> build.apply(Own.CREDENTIALS));
        }
        AccountAccess access = AccountAccess.instance();
        if (access.actsAsItself(accountId)) {
            return readers.computeIfAbsent(SELF, key -> build.apply(access.own()));
        }
        return readers.computeIfAbsent(accountId, account -> build.apply(access.credentials(account)));
    }
}
