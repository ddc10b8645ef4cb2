package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.rules.Rules;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@code ./warden replay-failures --queue URL [--max N]}: re-drives the events a failure queue holds
 * through the functions they were meant for, in this JVM, and deletes each message only once every
 * function it went to returned. A message whose function throws is kept: the visibility timeout brings it
 * back for the next run. A message that names no function is reported and left alone.
 *
 * <p>Three kinds of message reach ddb-warden's failure queues:
 * <ul>
 *   <li>an EventBridge dead letter: the body is the original event; it goes to the function its
 *       {@code TARGET_ARN} attribute names or, without one, to every function whose pattern in template.yaml
 *       matches it (event-ruler, as the demo routes);</li>
 *   <li>a Lambda on-failure destination record: {@code requestContext.functionArn} names the function and
 *       {@code requestPayload} holds the event;</li>
 *   <li>a re-check message moved there by a re-check queue's redrive policy ({@code {"attempt": n, "event":
 *       {...}}}): it goes back, as an SQS record with its attempt, to the functions the event routes to.</li>
 * </ul>
 * A re-delivery is safe: the ledger makes an event a function already handled a no-op.
 */
public final class ReplayFailures {
    static final int DEFAULT_MAX = 1000;
    private static final int MOST = 100_000;
    /** Longer than any function's timeout: a kept message stays out of this run's sight. */
    private static final int VISIBILITY_SECONDS = 300;
    private static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(30);
    private static final int EMPTY_RECEIVES_TO_STOP = 2;

    private final Template template;
    private final Map<String, String> parameterOverrides;
    private final Path envVars;
    private final Map<String, String> shell;
    private final Function<Settings, Services> services;
    private final SqsClient sqs;
    private final PrintStream out;
    private final EventRoutes routes;
    private final Map<String, String> functionSuffixes = new LinkedHashMap<>();
    private final Map<String, Built> handlers = new LinkedHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private int waitSeconds = 1;
    private int visibilitySeconds = VISIBILITY_SECONDS;
    private Duration timeLimit = DEFAULT_TIME_LIMIT;
    private BiConsumer<String, JsonNode> results = (function, result) -> { };

    /**
     * @param shell    the variables of the caller's shell, which override the template's as in {@code invoke}
     * @param services builds a function's clients from its settings ({@link Services#create} outside tests)
     * @param out      one line per message and the summary
     */
    ReplayFailures(Template template, Map<String, String> parameterOverrides, Path envVars, Map<String, String> shell,
                   Function<Settings, Services> services, SqsClient sqs, PrintStream out) throws Exception {
        this.template = template;
        this.parameterOverrides = Map.copyOf(parameterOverrides);
        this.envVars = envVars;
        this.shell = Map.copyOf(shell);
        this.services = services;
        this.sqs = sqs;
        this.out = out;
        this.routes = EventRoutes.of(template);
        String region = shell.getOrDefault("AWS_REGION", shell.getOrDefault("AWS_DEFAULT_REGION", LocalAws.REGION));
        TemplateValues values = new TemplateValues(template.parameters(), this.parameterOverrides, region, LocalAws.ACCOUNT);
        String stack = values.resolve(Map.of("Ref", "AWS::StackName"));
        for (String id : template.functionIds()) {
            Object declared = Template.map(template.resource(id).get("Properties")).get("FunctionName");
            String name = declared == null ? "" : values.resolve(declared);
            // The deployed stack's name differs from the local one; what follows it is the function's own.
            functionSuffixes.put(id, name.startsWith(stack) ? name.substring(stack.length()) : name);
        }
    }

    /** How long one receive waits for messages (0 for a local queue that answers at once). */
    ReplayFailures waitSeconds(int seconds) {
        this.waitSeconds = seconds;
        return this;
    }

    /** How long a received message stays out of sight: kept messages come back after it. */
    ReplayFailures visibilitySeconds(int seconds) {
        this.visibilitySeconds = seconds;
        return this;
    }

    /** Called with each function's result, for callers that count what the replay did. */
    ReplayFailures onResult(BiConsumer<String, JsonNode> listener) {
        this.results = listener;
        return this;
    }

    ReplayFailures timeLimit(Duration limit) {
        this.timeLimit = limit;
        return this;
    }

    /** What one run did. */
    public record Summary(int replayed, int failed, int unroutable) {
        public String line() {
            return "replayed " + replayed + ", failed " + failed + ", unroutable " + unroutable;
        }
    }

    static int run(Path root, List<String> args) throws Exception {
        Options options = Options.parse(root, args);
        Template template = Template.read(options.deployment.template);
        List<String> missing = missingStackSettings(template, options);
        if (!missing.isEmpty()) {
            // Without the deployed ledger a replay would act twice on what already succeeded; without the
            // topic its alerts would reach only this terminal's log.
            System.err.println("replay-failures needs the deployed stack's " + String.join(" and ", missing)
                    + " (the stack's outputs): set them in the shell or in --env-vars, as for the functions");
            return 2;
        }
        PrintStream out = System.out;
        // Handlers and the metrics library print; this command's standard output is its report.
        System.setOut(System.err);
        try (SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            ReplayFailures replay = new ReplayFailures(template, options.deployment.parameterOverrides,
                    options.deployment.envVars, System.getenv(), Services::create, sqs, out);
            Summary summary = replay.replay(options.queueUrl, options.max);
            out.println(summary.line());
            out.flush();
            return summary.failed() == 0 ? 0 : 1;
        } finally {
            System.setOut(out);
        }
    }

    /** The settings a replay cannot do without that resolve to nothing for some function. */
    private static List<String> missingStackSettings(Template template, Options options) throws IOException {
        Set<String> missing = new TreeSet<>();
        for (String id : template.functionIds()) {
            Map<String, String> environment = Invoke.environment(template, template.function(id).orElseThrow(),
                    options.deployment.parameterOverrides, options.deployment.envVars, System.getenv());
            for (String name : List.of("LEDGER_TABLE", "ALERT_TOPIC_ARN")) {
                if (environment.containsKey(name) && environment.get(name).isBlank()) {
                    missing.add(name);
                }
            }
        }
        return new ArrayList<>(missing);
    }

    /** Receives and re-drives up to {@code max} messages, each once in this run. */
    public Summary replay(String queueUrl, int max) {
        Instant deadline = Instant.now().plus(timeLimit);
        Set<String> seen = new HashSet<>();
        int replayed = 0;
        int failed = 0;
        int unroutable = 0;
        int empty = 0;
        while (seen.size() < max && empty < EMPTY_RECEIVES_TO_STOP && Instant.now().isBefore(deadline)) {
            int batch = Math.min(10, max - seen.size());
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(batch)
                    .waitTimeSeconds(waitSeconds)
                    .visibilityTimeout(visibilitySeconds)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            boolean fresh = false;
            for (Message message : messages) {
                if (!seen.add(message.messageId()) || seen.size() > max) {
                    continue;
                }
                fresh = true;
                Verdict verdict = replayOne(message);
                switch (verdict.kind) {
                    case REPLAYED -> {
                        sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                        replayed++;
                    }
                    case FAILED -> failed++;
                    case UNROUTABLE -> unroutable++;
                }
                out.printf("%-10s %s  %s%n", verdict.kind.name().toLowerCase(java.util.Locale.ROOT), message.messageId(),
                        verdict.text);
            }
            empty = fresh ? 0 : empty + 1;
        }
        return new Summary(replayed, failed, unroutable);
    }

    private enum Kind { REPLAYED, FAILED, UNROUTABLE }

    private record Verdict(Kind kind, String text) {
    }

    /** What a message asks for: the functions to run and what to give them. */
    private record Delivery(String source, Set<String> functions, String payload) {
    }

    private Verdict replayOne(Message message) {
        Delivery delivery;
        try {
            delivery = delivery(message);
        } catch (Unroutable e) {
            return new Verdict(Kind.UNROUTABLE, e.getMessage() + "; left in the queue");
        }
        List<String> done = new ArrayList<>();
        for (String function : delivery.functions()) {
            Built built = handler(function);
            if (built.handler() == null) {
                return new Verdict(Kind.FAILED, delivery.source() + " -> " + function + ": the function did not start: "
                        + built.error() + "; kept");
            }
            FunctionSpec spec = template.function(function).orElseThrow();
            ByteArrayOutputStream result = new ByteArrayOutputStream();
            try {
                built.handler().handleRequest(new ByteArrayInputStream(delivery.payload().getBytes(StandardCharsets.UTF_8)),
                        result, new LocalContext(function, spec.memoryMb(), spec.timeoutSeconds()));
            } catch (Exception | Error e) {
                String prefix = done.isEmpty() ? "" : String.join("; ", done) + "; ";
                return new Verdict(Kind.FAILED, delivery.source() + " -> " + prefix + function + ": threw " + e
                        + "; kept for the next run");
            }
            done.add(function + ": " + outcome(function, result.toByteArray()));
        }
        return new Verdict(Kind.REPLAYED, delivery.source() + " -> " + String.join("; ", done));
    }

    private Delivery delivery(Message message) throws Unroutable {
        JsonNode body;
        try {
            body = json.readTree(message.body());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new Unroutable("the body is not a JSON object");
        }
        JsonNode functionArn = body.path("requestContext").path("functionArn");
        if (functionArn.isTextual() && body.has("requestPayload")) {
            String function = functionOf(functionArn.asText())
                    .orElseThrow(() -> new Unroutable("a Lambda on-failure record for " + functionArn.asText()
                            + ", which is none of template.yaml's functions"));
            return new Delivery("on-failure record of " + lambdaName(functionArn.asText()), Set.of(function),
                    text(body.get("requestPayload")));
        }
        if (body.has("attempt") && body.path("event").isObject()) {
            Set<String> functions = routed(body.get("event"));
            if (functions.isEmpty()) {
                throw new Unroutable("a re-check message whose event no rule's pattern matches");
            }
            ObjectNode records = json.createObjectNode();
            records.putArray("Records").addObject().put("messageId", message.messageId()).put("body", message.body());
            return new Delivery("re-check message (attempt " + body.path("attempt").asText() + ")", functions, records.toString());
        }
        MessageAttributeValue target = message.messageAttributes().get("TARGET_ARN");
        if (target != null && target.stringValue() != null) {
            Optional<String> function = functionOf(target.stringValue());
            if (function.isPresent()) {
                return new Delivery("EventBridge dead letter for " + lambdaName(target.stringValue()), Set.of(function.get()),
                        message.body());
            }
        }
        Set<String> functions = routed(body);
        if (functions.isEmpty()) {
            throw new Unroutable("no rule's pattern in template.yaml matches this event" + describe(body));
        }
        return new Delivery("EventBridge dead letter" + describe(body), functions, message.body());
    }

    private Set<String> routed(JsonNode event) {
        try {
            return routes.functionsFor(json.writeValueAsString(event));
        } catch (Exception e) {
            return new TreeSet<>();
        }
    }

    /** The template's function a Lambda ARN names: by what follows the stack name in its FunctionName. */
    Optional<String> functionOf(String lambdaArn) {
        String name = lambdaName(lambdaArn);
        String best = null;
        int bestLength = 0;
        for (var entry : functionSuffixes.entrySet()) {
            String suffix = entry.getValue();
            boolean matches = suffix.isEmpty()
                    ? name.contains("-" + entry.getKey() + "-") || name.equals(entry.getKey())
                    : name.endsWith(suffix);
            int length = suffix.isEmpty() ? entry.getKey().length() : suffix.length();
            if (matches && length > bestLength) {
                best = entry.getKey();
                bestLength = length;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]} to NAME; anything else as given. */
    private static String lambdaName(String arn) {
        String[] parts = arn.split(":");
        return parts.length >= 7 && "function".equals(parts[5]) ? parts[6] : arn;
    }

    private Built handler(String function) {
        return handlers.computeIfAbsent(function, id -> {
            try {
                FunctionSpec spec = template.function(id).orElseThrow();
                Map<String, String> environment = Invoke.environment(template, spec, parameterOverrides, envVars, shell);
                Settings settings = Settings.from(environment::get, Rules.settingNames());
                return new Built(Handlers.build(spec, services.apply(settings)), "");
            } catch (InvocationTargetException e) {
                return new Built(null, String.valueOf(e.getCause()));
            } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                return new Built(null, String.valueOf(e));
            }
        });
    }

    private record Built(RequestStreamHandler handler, String error) {
    }

    private String outcome(String function, byte[] output) {
        try {
            JsonNode result = json.readTree(output);
            results.accept(function, result);
            if (result.has("records")) {
                List<String> each = new ArrayList<>();
                result.get("records").forEach(r -> each.add(Outcome.of(r)));
                return String.join(", ", each);
            }
            return Outcome.of(result);
        } catch (IOException e) {
            return "returned";
        }
    }

    private static String describe(JsonNode event) {
        String name = event.path("detail").path("eventName").asText("");
        String id = event.path("detail").path("eventID").asText("");
        return name.isEmpty() ? "" : " (" + name + (id.isEmpty() ? "" : " " + id) + ")";
    }

    private String text(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON node always serialises", e);
        }
    }

    private static final class Unroutable extends Exception {
        Unroutable(String why) {
            super(why, null, false, false);
        }
    }

    /** The command line, parsed. */
    static final class Options {
        String queueUrl;
        int max = DEFAULT_MAX;
        DeploymentFlags deployment;

        static Options parse(Path root, List<String> args) {
            Options options = new Options();
            options.deployment = new DeploymentFlags(root);
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int taken = options.deployment.take(args, i);
                if (taken >= 0) {
                    i = taken;
                    continue;
                }
                switch (arg) {
                    case "--queue", "--queue-url" -> options.queueUrl = DeploymentFlags.value(args, ++i, arg);
                    case "--max" -> {
                        String value = DeploymentFlags.value(args, ++i, arg);
                        try {
                            options.max = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new UsageException("--max takes a whole number, not '" + value + "'");
                        }
                        if (options.max < 1 || options.max > MOST) {
                            throw new UsageException("--max must be between 1 and " + MOST);
                        }
                    }
                    default -> throw new UsageException("unexpected argument '" + arg + "'");
                }
            }
            if (options.queueUrl == null) {
                throw new UsageException("name the failure queue: --queue URL");
            }
            return options;
        }
    }
}
