package dev.ddbwarden.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.event.JsonText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Security Hub client against a loopback stub speaking its REST-JSON protocol as API_BatchImportFindings documents
 * it: moto_server (SecurityHubIT) never answers InvalidAccessException or FailedFindings, so the request's shape,
 * its SigV4 scope and the reading of those answers are checked here. The stub is reached through
 * aws.endpointUrlSecurityHub, the setting the SDK's own clients read.
 */
class SecurityHubApiTest {
    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private int status = 200;
    private String errorType = "";
    private String answer = "{}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + "\n"
                    + exchange.getRequestHeaders().getFirst("Authorization") + "\n"
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            if (!errorType.isEmpty()) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.setProperty("aws.endpointUrlSecurityHub", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrlSecurityHub");
        server.stop(0);
    }

    private final SecurityHubApi api = new SecurityHubApi(Clients.http(),
            account -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID" + account, "secret")));

    private static List<ObjectNode> one() {
        return List.of(Asff.compliant("ttl", "DynamoDB table", TestEvents.table("orders").arn(), "aws", "eu-west-1", "210987654321",
                Instant.parse("2026-12-05T12:00:00Z")));
    }

    @Test
    void batchImport_shouldPostTheFindingsSignedAsTheAccount_andReadWhatFailed() throws Exception {
        answer = """
                {"FailedCount":1,"SuccessCount":0,"FailedFindings":[{"Id":"ddb-warden/ttl/x","ErrorCode":"InvalidInput",
                 "ErrorMessage":"Finding does not adhere to Amazon Finding Format."}]}""";

        FindingsApi.Imported imported = api.batchImport("210987654321", "eu-west-1", one());

        String[] request = requests.get(0).split("\n", 3);
        assertThat(request[0]).isEqualTo("POST /findings/import");
        assertThat(request[1]).startsWith("AWS4-HMAC-SHA256 Credential=AKID210987654321/")
                .contains("/eu-west-1/securityhub/aws4_request");
        JsonNode body = JsonText.read(request[2]);
        assertThat(body.path("Findings").get(0).path("AwsAccountId").asText()).isEqualTo("210987654321");
        assertThat(imported.failed()).isEqualTo(1);
        assertThat(imported.failures()).containsExactly(new FindingsApi.Imported.Failure("ddb-warden/ttl/x", "InvalidInput",
                "Finding does not adhere to Amazon Finding Format."));
    }

    @Test
    void batchImport_shouldSayNotEnabled_onInvalidAccessException() {
        status = 401;
        errorType = "InvalidAccessException";
        answer = "{\"Code\":\"InvalidAccessException\",\"Message\":\"Account 210987654321 is not subscribed to AWS Security Hub\"}";

        assertThatThrownBy(() -> api.batchImport("210987654321", "eu-west-1", one()))
                .isInstanceOfSatisfying(FindingsApi.Refused.class, e -> {
                    assertThat(e.notEnabled()).isTrue();
                    assertThat(e.throttled()).isFalse();
                    assertThat(e.getMessage()).contains("not subscribed");
                });
    }

    @Test
    void batchImport_shouldSayThrottled_onTooManyRequests() {
        status = 429;
        errorType = "TooManyRequestsException";
        answer = "{\"Message\":\"Rate exceeded\"}";

        assertThatThrownBy(() -> api.batchImport("210987654321", "eu-west-1", one()))
                .isInstanceOfSatisfying(FindingsApi.Refused.class, e -> assertThat(e.throttled()).isTrue());
        assertThat(requests).hasSize(1);
    }
}
