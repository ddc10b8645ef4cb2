package dev.ddbwarden.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.Excerpt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An alert as an AWS Chatbot (Amazon Q Developer in chat applications) custom notification: {@code version} 1.0,
 * {@code source} custom, and {@code content} rendered as the chat platform's markdown. The format has no severity, so
 * the severity leads the title and is the first keyword. Every alert about one resource shares a {@code threadId}, so a
 * channel that threads updates keeps a table's story together. Pure.
 */
public final class ChatNotification {
    /** Room for a title on one line, and for the finding in one Slack section (3,000 characters). */
    static final int TITLE = 250;
    static final int DESCRIPTION = 2_900;
    static final int STEP = 1_000;

    private ChatNotification() {
    }

    /** @param messageId the ID the alert topic gave the alert: the notification's {@code id} */
    public static ObjectNode of(Alert alert, String messageId) {
        ObjectNode notification = JsonNodeFactory.instance.objectNode();
        notification.put("version", "1.0");
        notification.put("source", "custom");
        notification.put("id", messageId);
        String severity = alert.attributes().getOrDefault("severity", "INFO");
        String rule = alert.attributes().getOrDefault("rule", "ddb-warden");
        ObjectNode content = notification.putObject("content");
        content.put("textType", "client-markdown");
        content.put("title", cut(alert.subject().startsWith("[") ? alert.subject() : "[" + severity + "] " + alert.subject(), TITLE));
        ArrayNode steps = content.putArray("nextSteps");
        String thread;
        if (alert.facts().isPresent()) {
            AlertFacts facts = alert.facts().get();
            content.put("description", cut(facts.detail() + "\n\n*" + facts.resourceKind() + "*: `" + facts.resourceArn()
                    + "`\n*Account*: " + facts.accountId() + "  *Region*: " + facts.region() + "\n*Who*: "
                    + facts.actor(), DESCRIPTION));
            steps.add(cut(facts.remediation(), STEP));
            thread = facts.resourceArn();
        } else {
            content.put("description", cut(alert.body(), DESCRIPTION));
            steps.add("Read the full alert on the ddb-warden alert topic's other subscriptions.");
            thread = rule + "/" + alert.attributes().getOrDefault("account", "") + "/" + alert.attributes().getOrDefault("region", "");
        }
        Set<String> keywords = new LinkedHashSet<>();
        keywords.add(severity);
        keywords.add(rule);
        alert.facts().ifPresent(facts -> keywords.add(facts.accountId()));
        ArrayNode words = content.putArray("keywords");
        keywords.forEach(words::add);
        ObjectNode metadata = notification.putObject("metadata");
        metadata.put("threadId", "ddb-warden-" + sha256(thread).substring(0, 32));
        metadata.put("summary", cut(alert.subject(), TITLE));
        metadata.put("eventType", "ddb-warden " + rule);
        alert.facts().ifPresent(facts -> metadata.putArray("relatedResources").add(facts.resourceArn()));
        return notification;
    }

    private static String cut(String text, int max) {
        String visible = text.length() <= max ? text : text.substring(0, max - 3) + "...";
        return Excerpt.of(visible, 4 * max);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
