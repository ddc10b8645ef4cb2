package dev.ddbwarden.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 proxy of our own between the SDK clients and moto_server, both on loopback, that
 * injects the faults a real endpoint produces: a reset connection, a 500 or 503 with the service's own
 * error body, throttling, a delay, a frozen connection held until the client gives up, and a refused
 * connection. Clients are pointed at {@link #endpoint()} as at any endpoint (AWS_ENDPOINT_URL or
 * {@code aws.endpointUrl}); every request goes on to moto unless a rule intercepts it.
 *
 * <p>One request per connection: every response says {@code Connection: close}, so a fault never leaks
 * into a later request. Rules match a service and an operation (DynamoDB's and SQS's {@code X-Amz-Target},
 * the query protocol's {@code Action=}) and fire with a seeded probability, for the next N matches, or
 * while they are installed. The connection threads are bounded; nothing listens beyond 127.0.0.1.
 */
public final class FaultProxy implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    private static final int MAX_THREADS = 64;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final int CLIENT_READ_TIMEOUT_MS = 30_000;
    private static final int UPSTREAM_TIMEOUT_MS = 60_000;
    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final Pattern TABLE_FIELD = Pattern.compile("\"(?:TableName|ResourceArn)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** What a rule does to a request it matches. */
    public enum Fault {
        /** Close the connection without a response (with a TCP reset). */
        RESET,
        /** HTTP 500 with the service's InternalServerError / InternalError body. */
        ERROR_500,
        /** HTTP 503 with the service's ServiceUnavailable body. */
        ERROR_503,
        /** HTTP 400 ThrottlingException (DynamoDB, SQS JSON) or Throttling (query protocol). */
        THROTTLE,
        /** Wait {@code millis}, then forward as usual. */
        DELAY,
        /** Hold the connection without answering until the client gives up or {@code millis} pass, then drop it. */
        FREEZE,
        /** Forward the request, then drop the connection instead of answering: the call happened, its answer is lost. */
        LOSE_RESPONSE
    }

    /** One request as the proxy saw it. */
    public record Exchange(long sequence, String service, String operation, String table, int status, Fault fault,
                           String region) {
        public boolean isWrite() {
            return WRITES.contains(operation);
        }
    }

    /** DynamoDB calls that change a table (the ledger's item writes are not among them). */
    public static final List<String> WRITES = List.of("UpdateTable", "PutResourcePolicy", "DeleteResourcePolicy",
            "TagResource", "UntagResource", "DeleteTable", "UpdateContinuousBackups", "UpdateTimeToLive");

    /** A fault installed at run time; {@link #remove()} takes it out. */
    public final class Rule {
        private final Fault fault;
        private final Predicate<Request> match;
        private final long millis;
        private final double probability;
        private final AtomicInteger remaining;
        private final LongAdder fired = new LongAdder();
        private final boolean wholeCall;
        private volatile String call;

        private Rule(Fault fault, Predicate<Request> match, long millis, double probability, int times, boolean wholeCall) {
            this.fault = fault;
            this.match = match;
            this.millis = millis;
            this.probability = probability;
            this.remaining = new AtomicInteger(times);
            this.wholeCall = wholeCall;
        }

        /** How many requests this rule has intercepted. */
        public long fired() {
            return fired.sum();
        }

        public void remove() {
            rules.remove(this);
        }

        private synchronized boolean firesForCall(Request request) {
            if (call == null) {
                if (request.invocationId().isEmpty() || !match.test(request)) {
                    return false;
                }
                call = request.invocationId();
            } else if (!call.equals(request.invocationId())) {
                return false;
            }
            if (remaining.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
                return false;
            }
            fired.increment();
            return true;
        }

        private boolean fires(Request request) {
            if (wholeCall) {
                return firesForCall(request);
            }
            if (!match.test(request)) {
                return false;
            }
            if (probability < 1.0) {
                synchronized (random) {
                    if (random.nextDouble() >= probability) {
                        return false;
                    }
                }
            }
            if (remaining.get() != Integer.MAX_VALUE && remaining.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
                return false;
            }
            fired.increment();
            return true;
        }
    }

    /** Which requests a rule intercepts. */
    public static final class Match {
        private Match() {
        }

        public static Predicate<Request> any() {
            return r -> true;
        }

        /** By service: {@code dynamodb}, {@code sns}, {@code sqs} (from the request's signature scope). */
        public static Predicate<Request> service(String service) {
            return r -> service.equalsIgnoreCase(r.service());
        }

        /** By operation: {@code UpdateTable}, {@code Publish}, {@code SendMessage}, whatever the protocol. */
        public static Predicate<Request> operation(String operation) {
            return r -> operation.equals(r.operation());
        }

        public static Predicate<Request> call(String service, String operation) {
            return r -> service.equalsIgnoreCase(r.service()) && operation.equals(r.operation());
        }

        /** Requests whose body holds {@code text}: one kind of write among many of the same operation. */
        public static Predicate<Request> bodyContains(String text) {
            return r -> r.body().contains(text);
        }
    }

    /** A request, parsed as far as rules need. */
    public record Request(String service, String operation, String table, String region, boolean json, String body,
                          String invocationId) {
    }

    private final URI upstream;
    private final ExecutorService pool;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Random random;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<Consumer<Exchange>> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder frozenReleasedByClient = new LongAdder();
    private final LongAdder frozenDropped = new LongAdder();
    private final int port;
    private volatile ServerSocket server;
    private volatile Thread acceptor;
    private volatile boolean closed;

    private FaultProxy(URI upstream, long seed) throws IOException {
        this.upstream = upstream;
        this.random = new Random(seed);
        this.pool = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "fault-proxy");
            thread.setDaemon(true);
            return thread;
        });
        ServerSocket socket = listen(0);
        this.port = socket.getLocalPort();
        accept(socket);
    }

    /** A proxy on a free loopback port forwarding to {@code upstream} (an http://127.0.0.1 endpoint). */
    public static FaultProxy start(String upstream, long seed) throws IOException {
        URI uri = URI.create(upstream);
        if (!InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("the proxy forwards to loopback only, not " + upstream);
        }
        return new FaultProxy(uri, seed);
    }

    public String endpoint() {
        return "http://" + LOOPBACK + ":" + port;
    }

    /** Installs a fault for every matching request until removed (probability 1). */
    public Rule always(Fault fault, Predicate<Request> match, long millis) {
        return add(new Rule(fault, match, millis, 1.0, Integer.MAX_VALUE, false));
    }

    /**
     * Fails every attempt (up to {@code attempts}) of the first API call that matches: the SDK's retries of
     * one call share its {@code amz-sdk-invocation-id}, so the call itself fails, whatever else runs meanwhile.
     */
    public Rule wholeCall(int attempts, Fault fault, Predicate<Request> match, long millis) {
        return add(new Rule(fault, match, millis, 1.0, attempts, true));
    }

    /** Installs a fault for each matching request with {@code probability} (drawn from the seeded generator). */
    public Rule sometimes(Fault fault, Predicate<Request> match, double probability, long millis) {
        return add(new Rule(fault, match, millis, probability, Integer.MAX_VALUE, false));
    }

    /** Installs a fault for the next {@code times} matching requests. */
    public Rule next(int times, Fault fault, Predicate<Request> match, long millis) {
        return add(new Rule(fault, match, millis, 1.0, times, false));
    }

    private Rule add(Rule rule) {
        rules.add(rule);
        return rule;
    }

    public void clearRules() {
        rules.clear();
    }

    /** Stops accepting connections: clients get "connection refused" until {@link #accept()}. */
    public synchronized void refuse() throws IOException {
        ServerSocket current = server;
        server = null;
        if (current != null) {
            current.close();
        }
        Thread thread = acceptor;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Accepts connections again, on the same port. */
    public synchronized void accept() throws IOException {
        if (server == null && !closed) {
            accept(listen(port));
        }
    }

    public boolean refusing() {
        return server == null;
    }

    /** Called with every exchange, on the connection's thread. */
    public void onExchange(Consumer<Exchange> listener) {
        listeners.add(listener);
    }

    /** Requests seen by {@code service:operation}, faults included. */
    public long count(String service, String operation) {
        LongAdder adder = counts.get(service.toLowerCase(Locale.ROOT) + ":" + operation);
        return adder == null ? 0 : adder.sum();
    }

    public long requests() {
        return sequence.get();
    }

    /** Frozen connections the client abandoned (its timeout fired), and those the proxy dropped at its own limit. */
    public long frozenReleasedByClient() {
        return frozenReleasedByClient.sum();
    }

    public long frozenDropped() {
        return frozenDropped.sum();
    }

    private ServerSocket listen(int onPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), onPort), 128);
        return socket;
    }

    private void accept(ServerSocket socket) {
        server = socket;
        Thread thread = new Thread(() -> {
            while (!socket.isClosed()) {
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException e) {
                    return;
                }
                try {
                    pool.execute(() -> serve(client));
                } catch (RejectedExecutionException e) {
                    closeQuietly(client);
                }
            }
        }, "fault-proxy-accept");
        thread.setDaemon(true);
        acceptor = thread;
        thread.start();
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            client.setSoTimeout(CLIENT_READ_TIMEOUT_MS);
            InputStream in = new java.io.BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            Head head = Head.read(in);
            if (head == null) {
                return;
            }
            if ("100-continue".equalsIgnoreCase(head.header("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = readBody(in, head);
            Request request = describe(head, body);
            long seq = sequence.incrementAndGet();
            counts.computeIfAbsent(request.service() + ":" + request.operation(), k -> new LongAdder()).increment();
            Rule rule = null;
            for (Rule each : rules) {
                if (each.fires(request)) {
                    rule = each;
                    break;
                }
            }
            Fault fault = rule == null ? null : rule.fault;
            // Listeners hear of an exchange before the client does, so that a caller that has its answer
            // never finds its exchange still unrecorded.
            if (fault == null || fault == Fault.DELAY) {
                if (fault == Fault.DELAY) {
                    Thread.sleep(rule.millis);
                }
                Upstream answer = forward(head, body);
                notify(new Exchange(seq, request.service(), request.operation(), request.table(), answer.status(), fault,
                        request.region()));
                answer.writeTo(out);
            } else {
                notify(new Exchange(seq, request.service(), request.operation(), request.table(), 0, fault, request.region()));
                inject(rule, request, client, in, out, head, body);
            }
        } catch (IOException e) {
            // The client went away or moto did: the client sees a broken connection, as it would from AWS.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int inject(Rule rule, Request request, Socket client, InputStream in, OutputStream out, Head head, byte[] body)
            throws IOException, InterruptedException {
        switch (rule.fault) {
            case RESET -> {
                reset(client);
                return 0;
            }
            case FREEZE -> {
                freeze(client, in, rule.millis);
                return 0;
            }
            case LOSE_RESPONSE -> {
                forward(head, body);
                reset(client);
                return 0;
            }
            case ERROR_500 -> {
                return respond(out, 500, error(request, "InternalServerError", "InternalError", "Receiver"));
            }
            case ERROR_503 -> {
                return respond(out, 503, error(request, "ServiceUnavailable", "ServiceUnavailable", "Receiver"));
            }
            case THROTTLE -> {
                return respond(out, 400, error(request, "ThrottlingException", "Throttling", "Sender"));
            }
            default -> throw new IllegalStateException("unhandled fault " + rule.fault);
        }
    }

    /** Holds the connection until the client closes it (its timeout) or {@code millis} pass; then drops it. */
    private void freeze(Socket client, InputStream in, long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        client.setSoTimeout(200);
        byte[] sink = new byte[1024];
        while (System.currentTimeMillis() < deadline && !closed) {
            try {
                if (in.read(sink) < 0) {
                    frozenReleasedByClient.increment();
                    return;
                }
            } catch (SocketTimeoutException stillThere) {
                // the client is still waiting
            } catch (SocketException gone) {
                frozenReleasedByClient.increment();
                return;
            }
        }
        frozenDropped.increment();
        reset(client);
    }

    /** The error as the service's protocol spells it. */
    private static Response error(Request request, String jsonType, String queryCode, String faultSide) {
        String service = request.service();
        if ("dynamodb".equals(service)) {
            String type = "com.amazonaws.dynamodb.v20120810#" + jsonType;
            return new Response("application/x-amz-json-1.0", Map.of("x-amzn-ErrorType", jsonType),
                    "{\"__type\":\"" + type + "\",\"message\":\"injected by FaultProxy\"}");
        }
        if ("sqs".equals(service) && request.json()) {
            String code = "InternalServerError".equals(jsonType) ? "InternalError" : jsonType;
            return new Response("application/x-amz-json-1.0",
                    Map.of("x-amzn-query-error", code + ";" + faultSide),
                    "{\"__type\":\"com.amazonaws.sqs#" + code + "\",\"message\":\"injected by FaultProxy\"}");
        }
        String namespace = "sns".equals(service) ? "http://sns.amazonaws.com/doc/2010-03-31/" : "http://queue.amazonaws.com/doc/2012-11-05/";
        return new Response("text/xml", Map.of(),
                "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>" + faultSide + "</Type><Code>" + queryCode
                        + "</Code><Message>injected by FaultProxy</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>");
    }

    private record Response(String contentType, Map<String, String> headers, String body) {
    }

    private static int respond(OutputStream out, int status, Response response) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        head.append("Content-Type: ").append(response.contentType()).append("\r\n");
        response.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("x-amzn-RequestId: fault-proxy\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        whole.write(body);
        out.write(whole.toByteArray());
        out.flush();
        return status;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }

    /** moto's answer to one request, its head rewritten to close the connection. */
    private record Upstream(int status, byte[] head, byte[] response, int bodyStart) {
        void writeTo(OutputStream out) throws IOException {
            byte[] whole = new byte[head.length + response.length - bodyStart];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(response, bodyStart, whole, head.length, response.length - bodyStart);
            out.write(whole);
            out.flush();
        }
    }

    private void notify(Exchange exchange) {
        listeners.forEach(l -> l.accept(exchange));
    }

    /** Sends the request to moto and reads its whole answer. */
    private Upstream forward(Head head, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5_000);
            socket.setSoTimeout(UPSTREAM_TIMEOUT_MS);
            StringBuilder request = new StringBuilder(head.requestLine()).append("\r\n");
            for (Map.Entry<String, List<String>> header : head.headers().entrySet()) {
                String name = header.getKey();
                if (name.equals("connection") || name.equals("expect") || name.equals("transfer-encoding")
                        || name.equals("content-length") || name.equals("keep-alive") || name.equals("proxy-connection")) {
                    continue;
                }
                for (String value : header.getValue()) {
                    request.append(head.originalName(name)).append(": ").append(value).append("\r\n");
                }
            }
            request.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            // One write: a head and a body in two small packets would wait on the peer's delayed acknowledgement.
            ByteArrayOutputStream whole = new ByteArrayOutputStream(request.length() + body.length);
            whole.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            whole.write(body);
            OutputStream up = socket.getOutputStream();
            up.write(whole.toByteArray());
            up.flush();
            byte[] response = socket.getInputStream().readAllBytes();
            int split = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (split < 0) {
                throw new IOException("moto answered without a complete head");
            }
            String[] lines = new String(response, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            StringBuilder rewritten = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                String lower = lines[i].toLowerCase(Locale.ROOT);
                if (!lower.startsWith("connection:") && !lower.startsWith("keep-alive:")) {
                    rewritten.append(lines[i]).append("\r\n");
                }
            }
            rewritten.append("Connection: close\r\n\r\n");
            return new Upstream(status, rewritten.toString().getBytes(StandardCharsets.ISO_8859_1), response, split + 4);
        }
    }

    private static void reset(Socket client) {
        try {
            client.setSoLinger(true, 0);
            client.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static byte[] readBody(InputStream in, Head head) throws IOException {
        if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = Head.line(in);
                if (sizeLine == null) {
                    throw new IOException("the chunked body ended early");
                }
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (true) {
                        String trailer = Head.line(in);
                        if (trailer == null || trailer.isEmpty()) {
                            return body.toByteArray();
                        }
                    }
                }
                if (body.size() + size > MAX_BODY_BYTES) {
                    throw new IOException("request body over " + MAX_BODY_BYTES + " bytes");
                }
                body.write(in.readNBytes(size));
                Head.line(in);
            }
        }
        String length = head.header("content-length");
        int size = length == null ? 0 : Integer.parseInt(length.trim());
        if (size < 0 || size > MAX_BODY_BYTES) {
            throw new IOException("request body of " + size + " bytes");
        }
        byte[] body = in.readNBytes(size);
        if (body.length != size) {
            throw new IOException("the body ended early");
        }
        return body;
    }

    /** Service, operation, the table a DynamoDB call names, and the region of its signature. */
    private static Request describe(Head head, byte[] body) {
        String service = "";
        String region = "";
        String authorization = head.header("authorization");
        if (authorization != null) {
            Matcher scope = CREDENTIAL_SCOPE.matcher(authorization);
            if (scope.find()) {
                region = scope.group(1);
                service = scope.group(2).toLowerCase(Locale.ROOT);
            }
        }
        String target = head.header("x-amz-target");
        String operation = "";
        boolean json = false;
        if (target != null && target.contains(".")) {
            operation = target.substring(target.lastIndexOf('.') + 1);
            json = true;
            if (service.isEmpty()) {
                service = target.startsWith("DynamoDB") ? "dynamodb" : target.startsWith("AmazonSQS") ? "sqs" : "";
            }
        } else {
            String form = new String(body, StandardCharsets.UTF_8);
            for (String pair : form.split("&")) {
                if (pair.startsWith("Action=")) {
                    operation = URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        String table = "";
        if ("dynamodb".equals(service) && body.length > 0) {
            Matcher field = TABLE_FIELD.matcher(new String(body, StandardCharsets.UTF_8));
            if (field.find()) {
                table = field.group(1).replace("\\/", "/").replace("\\\"", "\"");
            }
        }
        String invocation = head.header("amz-sdk-invocation-id");
        return new Request(service, operation, table, region, json, new String(body, StandardCharsets.UTF_8),
                invocation == null ? "" : invocation);
    }

    @Override
    public void close() {
        closed = true;
        ServerSocket current = server;
        server = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The request line and headers of one request. */
    private record Head(String requestLine, Map<String, List<String>> headers, Map<String, String> names) {

        static Head read(InputStream in) throws IOException {
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return null;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            int total = requestLine.length();
            while (true) {
                String line = line(in);
                if (line == null) {
                    throw new IOException("the head ended early");
                }
                if (line.isEmpty()) {
                    return new Head(requestLine, headers, names);
                }
                total += line.length();
                if (total > MAX_HEADER_BYTES) {
                    throw new IOException("request head over " + MAX_HEADER_BYTES + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).trim();
                    String lower = name.toLowerCase(Locale.ROOT);
                    names.putIfAbsent(lower, name);
                    headers.computeIfAbsent(lower, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
                }
            }
        }

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String originalName(String lower) {
            return names.getOrDefault(lower, lower);
        }

        /** One CRLF-terminated line, without the terminator; null at the end of the stream. */
        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
                }
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
                if (line.size() > MAX_HEADER_BYTES) {
                    throw new IOException("header line too long");
                }
            }
        }
    }

    /** Every exchange the proxy has seen since {@code from}, collected by a listener. */
    public static final class Recorder implements Consumer<Exchange> {
        private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
        private final int limit;

        public Recorder(int limit) {
            this.limit = limit;
        }

        @Override
        public void accept(Exchange exchange) {
            synchronized (exchanges) {
                if (exchanges.size() < limit) {
                    exchanges.add(exchange);
                }
            }
        }

        public List<Exchange> since(long sequence) {
            synchronized (exchanges) {
                return exchanges.stream().filter(e -> e.sequence() > sequence).toList();
            }
        }

        public void clear() {
            exchanges.clear();
        }
    }
}
