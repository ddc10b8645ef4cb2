package dev.ddbwarden.rules.dax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ddbwarden.config.Clients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DaxApi against a local HTTP stub speaking DAX's wire protocol (JSON 1.1, as the API reference gives DescribeClusters
 * and its answer): what it sends, how it pages, how it reads a missing cluster, a refusal and a region without DAX.
 * moto_server (DaxIT) checks no signature; this checks the request is signed for the service dax in the region.
 */
class DaxApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> targets = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final List<JsonNode> bodies = new ArrayList<>();
    private final List<String[]> answers = new ArrayList<>();
    private HttpServer server;
    private final DaxApi api = new DaxApi(Clients.http(), StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            bodies.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            String[] answer = answers.remove(0);
            byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.setProperty("aws.endpointUrlDax", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlDax");
        server.stop(0);
    }

    private static String cluster(String name, String sse, String endpoint) {
        return "{\"ClusterName\":\"" + name + "\",\"ClusterArn\":\"arn:aws:dax:eu-west-1:123456789012:cache/" + name
                + "\",\"IamRoleArn\":\"arn:aws:iam::123456789012:role/dax\",\"Status\":\"available\",\"SSEDescription\":"
                + "{\"Status\":\"" + sse + "\"},\"ClusterEndpointEncryptionType\":\"" + endpoint + "\"}";
    }

    @Test
    void describe_shouldSendASignedDescribeClusters_andFollowNextToken() {
        answers.add(new String[] {"200", "{\"Clusters\":[" + cluster("a", "ENABLED", "TLS") + "],\"NextToken\":\"t1\"}"});
        answers.add(new String[] {"200", "{\"Clusters\":[" + cluster("b", "DISABLED", "NONE") + "]}"});

        List<DaxCluster> clusters = api.describe("eu-west-1", Optional.empty());

        assertThat(clusters).containsExactly(
                new DaxCluster("a", "arn:aws:dax:eu-west-1:123456789012:cache/a", "eu-west-1", "ENABLED", "TLS",
                        "arn:aws:iam::123456789012:role/dax", "available"),
                new DaxCluster("b", "arn:aws:dax:eu-west-1:123456789012:cache/b", "eu-west-1", "DISABLED", "NONE",
                        "arn:aws:iam::123456789012:role/dax", "available"));
        assertThat(targets).containsOnly("AmazonDAXV3.DescribeClusters");
        assertThat(authorizations).allSatisfy(auth ->
                assertThat(auth).startsWith("AWS4-HMAC-SHA256 Credential=AKID/").contains("/eu-west-1/dax/aws4_request"));
        assertThat(bodies.get(0).has("NextToken")).isFalse();
        assertThat(bodies.get(1).path("NextToken").asText()).isEqualTo("t1");
    }

    @Test
    void describe_shouldNameTheCluster_andReadClusterNotFoundAsNone() {
        answers.add(new String[] {"400", "{\"__type\":\"com.amazon.dax#ClusterNotFoundFault\",\"message\":\"Cluster x not found.\"}"});

        assertThat(api.describe("eu-west-1", Optional.of("x"))).isEmpty();
        assertThat(bodies.get(0).path("ClusterNames").get(0).asText()).isEqualTo("x");
    }

    @Test
    void describe_shouldThrow_whenDaxRefuses() {
        answers.add(new String[] {"400", "{\"__type\":\"AccessDeniedException\",\"message\":\"not authorized\"}"});

        assertThatThrownBy(() -> api.describe("eu-west-1", Optional.empty()))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                })
                .hasMessageContaining("not authorized");
    }

    @Test
    void describe_shouldFindNoCluster_whereTheRegionHasNoDaxEndpoint() {
        System.setProperty("aws.endpointUrlDax", "http://dax.no-such-region.invalid");

        assertThat(api.describe("xx-nowhere-1", Optional.empty())).isEmpty();
    }
}
