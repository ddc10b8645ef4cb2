package dev.ddbwarden.backup;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AWS Backup's REST-JSON wire protocol on loopback, for the calls moto_server does not model (recovery points,
 * selections, plan versions): each request is recorded as it arrived (method, raw path and query, headers) and
 * answered with the next queued status, error type header and JSON body.
 */
final class BackupStub implements AutoCloseable {
    record Seen(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse("");
        }
    }

    private record Answer(int status, String errorType, String body) {
    }

    private final HttpServer server;
    private final Deque<Answer> answers = new ArrayDeque<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    BackupStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders())));
            Answer answer;
            synchronized (answers) {
                answer = answers.isEmpty() ? new Answer(500, "InternalFailure", "{}") : answers.poll();
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (!answer.errorType().isEmpty()) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", answer.errorType());
            }
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    BackupStub answer(String json) {
        return answer(200, "", json);
    }

    BackupStub answer(int status, String errorType, String json) {
        synchronized (answers) {
            answers.add(new Answer(status, errorType, json));
        }
        return this;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
