package dev.ddbwarden.alert;

import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.JsonText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends each alert on, then the same alert as a chat notification to the chat topic (ChatNotifications). The alert
 * topic's message is the record; the chat message is a copy for people in a channel, so its failure is logged and
 * counted, never thrown (a retry would send the alert a second time).
 */
public final class ChatPublisher implements AlertPublisher {
    /** The chat topic's ARN; unset or empty sends no chat notification. */
    public static final String CHAT_TOPIC_ARN = "CHAT_TOPIC_ARN";
    static final String FAILED_METRIC = "ChatNotificationsNotSent";
    private static final Logger LOG = LoggerFactory.getLogger(ChatPublisher.class);

    private final AlertPublisher next;
    private final SnsClient sns;
    private final String topicArn;
    private final Consumer<String> count;

    /** @param count adds one to the metric it is given */
    public ChatPublisher(AlertPublisher next, SnsClient sns, String topicArn, Consumer<String> count) {
        this.next = next;
        this.sns = sns;
        this.topicArn = topicArn;
        this.count = count;
    }

    /**
     * {@code next}, followed by a chat notification when the setting CHAT_NOTIFICATIONS is true and {@code env} names the
     * chat topic (CHAT_TOPIC_ARN, the stack's ChatTopic); a chat turned on with no topic is said in the log.
     */
    public static AlertPublisher around(AlertPublisher next, SnsClient sns, Settings settings, Function<String, String> env,
                                        Consumer<String> count) {
        if (!settings.optIn(EnvVar.CHAT_NOTIFICATIONS)) {
            return next;
        }
        String topic = env.apply(CHAT_TOPIC_ARN);
        if (topic == null || topic.isBlank()) {
            LOG.warn("CHAT_NOTIFICATIONS is true but CHAT_TOPIC_ARN is not set: no chat notification is sent");
            return next;
        }
        return new ChatPublisher(next, sns, topic.strip(), count);
    }

    @Override
    public String publish(Alert alert) {
        String id = next.publish(alert);
        try {
            sns.publish(r -> r.topicArn(topicArn).message(JsonText.write(ChatNotification.of(alert, id))));
        } catch (RuntimeException e) {
            LOG.error("the chat notification of alert {} ({}) was not sent: {}", id, alert.subject(), e.getMessage());
            count.accept(FAILED_METRIC);
        }
        return id;
    }

    @Override
    public void compliant(List<Compliant> found) {
        next.compliant(found);
    }
}
