package dev.ddbwarden.config;

import software.amazon.awssdk.http.urlconnection.UrlConnectionFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * How the SDK's url-connection client opens a connection when no proxy is configured: as its own default
 * does (the JDK opens it; system-property proxies still apply), with the same timeouts, but with the JDK's
 * default TLS, which is set up at the first HTTPS connection. The SDK's default builds a TLS context for
 * every client it builds, whether or not a request ever uses TLS: 30 ms of a cold start on JDK 17, and a
 * cold start against the local emulator (plain HTTP) never needs it. Certificates and host names are
 * checked by the JDK's defaults either way (ClientsTest).
 */
final class DirectConnections implements UrlConnectionFactory {
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    DirectConnections(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    }

    @Override
    public HttpURLConnection createConnection(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(readTimeoutMillis);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a connection to " + uri, e);
        }
    }
}
