package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * What AWS does around a handler, simulated: an asynchronous invocation that Lambda retries twice when it
 * throws (about one and three minutes after the first attempt: each retry runs on clients whose clock is
 * that much later, while the real pause is short), then writes an on-failure destination record to the
 * failure queue; and EventBridge giving up on an event and writing it to the rule's dead-letter queue. Each
 * worker thread is a container of its own, with its own handler instances.
 *
 * <p>Not simulated: EventBridge's own delivery and its retries, Lambda's scaling and throttling, a
 * timeout killing a run midway (a run longer than the function's timeout is counted, not killed).
 */
final class LambdaSim {
    /** When Lambda runs each attempt of an asynchronous invocation, after the first. */
    private static final Duration[] LAMBDA_RETRY_AT = {Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(3)};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultsWorld world;
    private final Tally tally;
    private final List<Services> attempts = new ArrayList<>();
    private final Duration[] realPauses;
    private final ThreadLocal<List<Map<String, RequestStreamHandler>>> containers;
    private final List<BiConsumer<Throwable, String>> failureHooks = new CopyOnWriteArrayList<>();

    /**
     * @param clock      the clock of first attempts; retries run on it plus Lambda's retry delays
     * @param realPauses the real pause before the first and the second retry
     */
    LambdaSim(FaultsWorld world, Tally tally, Clock clock, Sleeper sleeper, Duration... realPauses) {
        this.world = world;
        this.tally = tally;
        this.realPauses = realPauses;
        Services base = world.services(clock, sleeper);
        for (Duration later : LAMBDA_RETRY_AT) {
            attempts.add(ProxiedServices.with(base, Clock.offset(clock, later), sleeper));
        }
        this.containers = ThreadLocal.withInitial(() -> attempts.stream().map(world::handlers).toList());
    }

    /** Called with whatever an attempt threw, and the event. */
    void onFailure(BiConsumer<Throwable, String> hook) {
        failureHooks.add(hook);
    }

    /** Invokes {@code function} as Lambda would an asynchronous event; false when it ended in the failure queue. */
    boolean deliver(String function, String event) throws InterruptedException {
        Throwable last = null;
        for (int attempt = 0; attempt < LAMBDA_RETRY_AT.length; attempt++) {
            if (attempt > 0) {
                Thread.sleep(realPauses[Math.min(attempt - 1, realPauses.length - 1)].toMillis());
            }
            RequestStreamHandler handler = containers.get().get(attempt).get(function);
            if (handler == null) {
                tally.check(false, "an event routes to " + function + ", which the bench cannot build: " + world.skipped().get(function));
                return false;
            }
            long start = System.nanoTime();
            tally.invocations.increment();
            try {
                JsonNode result = invoke(handler, function, event);
                tally.result(result);
                if ((System.nanoTime() - start) / 1_000_000 > world.timeoutSeconds(function) * 1000L) {
                    tally.overTimeout.increment();
                }
                return true;
            } catch (Exception | Error e) {
                last = e;
                tally.threw(e, function + " attempt " + (attempt + 1) + " on " + eventId(event));
                for (BiConsumer<Throwable, String> hook : failureHooks) {
                    hook.accept(e, event);
                }
            }
        }
        sendToFailureQueue(function, event, last);
        return false;
    }

    JsonNode invoke(RequestStreamHandler handler, String function, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new LocalContext(function, world.memoryMb(function), world.timeoutSeconds(function)));
        return JSON.readTree(out.toByteArray());
    }

    /** The record Lambda writes to an on-failure destination once its retries are exhausted. */
    private void sendToFailureQueue(String function, String event, Throwable last) {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", Instant.now().toString());
        ObjectNode context = record.putObject("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("functionArn", world.functionArn(function));
        context.put("condition", "RetriesExhausted");
        context.put("approximateInvokeCount", LAMBDA_RETRY_AT.length);
        try {
            record.set("requestPayload", JSON.readTree(event));
        } catch (Exception e) {
            record.put("requestPayload", event);
        }
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        ObjectNode payload = record.putObject("responsePayload");
        payload.put("errorMessage", String.valueOf(last == null ? "" : last.getMessage()));
        payload.put("errorType", last == null ? "" : last.getClass().getName());
        world.sqs.sendMessage(r -> r.queueUrl(world.failureQueueUrl).messageBody(record.toString()));
        tally.sentToFailureQueue.increment();
    }

    /** EventBridge giving up on an event: the rule's dead-letter queue receives it, with attributes naming the target. */
    void sendToDeadLetterQueue(String function, String event, boolean withTarget) {
        Map<String, MessageAttributeValue> attributes = new java.util.HashMap<>();
        attributes.put("ERROR_CODE", text("SDK_CLIENT_ERROR"));
        attributes.put("ERROR_MESSAGE", text("Lambda was throttled"));
        attributes.put("RULE_ARN", text("arn:aws:events:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT + ":rule/"
                + FaultsWorld.DEPLOYED_STACK + "-rule"));
        if (withTarget) {
            attributes.put("TARGET_ARN", text(world.functionArn(function).replace(":$LATEST", "")));
        }
        world.sqs.sendMessage(r -> r.queueUrl(world.deadLetterQueueUrl).messageBody(event).messageAttributes(attributes));
        tally.sentToDeadLetterQueue.increment();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    static String eventId(String event) {
        try {
            return JSON.readTree(event).path("detail").path("eventID").asText("?");
        } catch (Exception e) {
            return "?";
        }
    }
}
