package dev.ddbwarden.config;

import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import javax.net.ssl.TrustManager;

import java.time.Duration;

/**
 * How every SDK client is built: the light url-connection HTTP client, and retries with capped
 * exponential backoff and jitter bounded well inside the function's time budget, so that a frozen
 * endpoint ends in an error Lambda retries, not in a timeout that loses the run.
 */
public final class Clients {
    /** Attempts per call, the first included: throttling, 5xx and connection resets are retried. */
    static final int MAX_ATTEMPTS = 5;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(6);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private Clients() {
    }

    /**
     * One HTTP client for every SDK client of the container: it holds no connections of its own (the JDK
     * pools them), and building it sets up TLS, which each further copy would repeat on the cold path.
     * Closing an SDK client leaves an HTTP client it was given open, so this one serves the container's life.
     */
    private static final class Http {
        static final SdkHttpClient CLIENT = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .tlsTrustManagersProvider(() -> new TrustManager[] {new DeferredTrust()})
                .build();
    }

    /** The builder, configured; region, credentials and endpoint still come from the SDK's own chain. */
    public static <B extends AwsSyncClientBuilder<B, ?> & SdkClientBuilder<B, ?>> B standard(B builder) {
        builder.httpClient(Http.CLIENT);
        builder.overrideConfiguration(o -> o
                .retryStrategy(b -> b.maxAttempts(MAX_ATTEMPTS))
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .apiCallTimeout(CALL_TIMEOUT));
        return builder;
    }
}
