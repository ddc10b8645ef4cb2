package dev.ddbwarden.config;

import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

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
     * pools them), so one serves all, and closing an SDK client leaves an HTTP client it was given open.
     */
    private static final class Http {
        static final SdkHttpClient CLIENT = httpClient(ProxyConfiguration.builder().build());
    }

    /**
     * The container's one HTTP client, for the clients ddb-warden writes itself for want of the SDK's modules (AWS
     * Backup's, DAX's, Organizations').
     */
    public static SdkHttpClient http() {
        return Http.CLIENT;
    }

    /**
     * The SDK's url-connection client with our timeouts. With a proxy configured (the SDK reads
     * HTTP_PROXY, NO_PROXY and the http.proxy* system properties) it is the SDK's own, which knows how to use
     * it; without one its connections are opened by {@link DirectConnections}, which leaves TLS to the first
     * HTTPS request.
     */
    static SdkHttpClient httpClient(ProxyConfiguration proxy) {
        if (proxy.host() != null) {
            return UrlConnectionHttpClient.builder()
                    .proxyConfiguration(proxy)
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(SOCKET_TIMEOUT)
                    .build();
        }
        return UrlConnectionHttpClient.create(new DirectConnections(CONNECT_TIMEOUT, SOCKET_TIMEOUT));
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
