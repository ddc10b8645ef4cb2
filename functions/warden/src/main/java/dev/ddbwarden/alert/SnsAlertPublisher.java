package dev.ddbwarden.alert;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.util.Map;
import java.util.stream.Collectors;

/** Publishes to the alert topic with the attributes subscribers filter on. */
public final class SnsAlertPublisher implements AlertPublisher {
    private final SnsClient sns;
    private final String topicArn;

    public SnsAlertPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String publish(Alert alert) {
        Map<String, MessageAttributeValue> attributes = alert.attributes().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey,
                        e -> MessageAttributeValue.builder().dataType("String").stringValue(e.getValue()).build()));
        return sns.publish(r -> r.topicArn(topicArn)
                .subject(alert.subject())
                .message(alert.body())
                .messageAttributes(attributes)).messageId();
    }
}
