package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.JsonText;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.function.Supplier;

/**
 * Brings an event back later through the delayed re-check queue, for tables that stay CREATING (large
 * restores and imports) far longer than one invocation or Lambda's retries last.
 */
final class Recheck {
    static final String ATTEMPT = "attempt";
    static final String EVENT = "event";

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;
    private final int delaySeconds;

    /** @param sqs the client, asked for only when a re-check is sent */
    Recheck(Supplier<SqsClient> sqs, String queueUrl, int delaySeconds) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.delaySeconds = delaySeconds;
    }

    void schedule(JsonNode event, int attempt) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put(ATTEMPT, attempt);
        body.set(EVENT, event);
        sqs.get().sendMessage(r -> r.queueUrl(queueUrl).delaySeconds(delaySeconds).messageBody(JsonText.write(body)));
    }
}
