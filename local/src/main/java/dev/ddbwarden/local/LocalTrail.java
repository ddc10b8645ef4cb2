package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CloudTrail's event history for the local runner, on loopback: moto_server has no LookupEvents, which
 * ddb-warden calls to confirm who made a call before it honours an approved principal's decommission.
 * It answers LookupEvents by EventId (the one lookup ddb-warden makes) over CloudTrail's own JSON protocol,
 * from the records it is given, so the handlers' real CloudTrail client runs unchanged, pointed here by the
 * SDK's service-specific endpoint setting ({@code aws.endpointUrlCloudTrail}, AWS_ENDPOINT_URL_CLOUDTRAIL in
 * a shell). Any other operation is refused as unknown.
 */
final class LocalTrail implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final HttpServer server;
    /** CloudTrail records (an event's {@code detail}) by their eventID. */
    private final Map<String, JsonNode> records = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    private LocalTrail(HttpServer server) {
        this.server = server;
    }

    static LocalTrail start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LocalTrail trail = new LocalTrail(server);
        server.createContext("/", trail::answer);
        server.start();
        return trail;
    }

    String endpoint() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Points every CloudTrail client built afterwards in this JVM here (other services stay where they were). */
    void pointAt() {
        System.setProperty("aws.endpointUrlCloudTrail", endpoint());
    }

    /** CloudTrail holds the record of {@code event} (an EventBridge envelope, as in events/) under its eventID. */
    void record(String event) throws IOException {
        JsonNode detail = JSON.readTree(event).path("detail");
        if (detail.path("eventID").isTextual()) {
            records.put(detail.path("eventID").asText(), detail);
        }
    }

    /** How many LookupEvents requests it has answered, found or not. */
    int lookups() {
        return lookups.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (!target.endsWith(".LookupEvents")) {
                respond(exchange, 400, JSON.createObjectNode().put("__type", "UnknownOperationException")
                        .put("message", "the local CloudTrail answers LookupEvents only, not " + target));
                return;
            }
            lookups.incrementAndGet();
            ObjectNode response = JSON.createObjectNode();
            ArrayNode events = response.putArray("Events");
            for (JsonNode attribute : request.path("LookupAttributes")) {
                JsonNode record = "EventId".equals(attribute.path("AttributeKey").asText())
                        ? records.get(attribute.path("AttributeValue").asText()) : null;
                if (record != null) {
                    events.addObject()
                            .put("EventId", record.path("eventID").asText())
                            .put("EventName", record.path("eventName").asText())
                            .put("EventSource", record.path("eventSource").asText())
                            .put("CloudTrailEvent", JSON.writeValueAsString(record));
                }
            }
            respond(exchange, 200, response);
        }
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        System.clearProperty("aws.endpointUrlCloudTrail");
    }
}
