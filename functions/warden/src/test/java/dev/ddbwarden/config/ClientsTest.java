package dev.ddbwarden.config;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import javax.net.ssl.HttpsURLConnection;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP client every SDK client shares: TLS checked as the JDK checks it, timeouts set, proxies honoured. That an
 * untrusted server gets no request is ClientsTlsIT's (its certificate comes from keytool, a JVM of its own).
 */
class ClientsTest {
    @Test
    void connectionsCarryTheTimeoutsAndTheJdksTls() throws Exception {
        DirectConnections connections = new DirectConnections(Clients.CONNECT_TIMEOUT, Clients.SOCKET_TIMEOUT);
        HttpURLConnection plain = connections.createConnection(URI.create("http://127.0.0.1:9/"));
        assertThat(plain.getConnectTimeout()).isEqualTo(2_000);
        assertThat(plain.getReadTimeout()).isEqualTo(5_000);
        HttpURLConnection tls = connections.createConnection(URI.create("https://dynamodb.us-east-1.amazonaws.com/"));
        assertThat(tls).isInstanceOf(HttpsURLConnection.class);
        assertThat(((HttpsURLConnection) tls).getSSLSocketFactory()).isSameAs(HttpsURLConnection.getDefaultSSLSocketFactory());
        assertThat(((HttpsURLConnection) tls).getHostnameVerifier()).isSameAs(HttpsURLConnection.getDefaultHostnameVerifier());
    }

    /** With a proxy configured, requests go through it, as the SDK's own client sends them. */
    @Test
    void aConfiguredProxyCarriesTheRequests() throws Exception {
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> seen = new CopyOnWriteArrayList<>();
        proxy.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI().toString());
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
        ProxyConfiguration configured = ProxyConfiguration.builder().useSystemPropertyValues(false)
                .useEnvironmentVariablesValues(false)
                .endpoint(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort())).build();
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(Clients.httpClient(configured))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(URI.create("http://dynamodb.test.invalid:8000"))
                .build()) {
            dynamo.listTables();
            assertThat(seen).hasSize(1).allMatch(uri -> uri.startsWith("http://dynamodb.test.invalid:8000"));
        } finally {
            proxy.stop(0);
        }
    }
}
