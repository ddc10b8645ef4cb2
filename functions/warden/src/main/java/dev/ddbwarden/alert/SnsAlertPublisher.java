package dev.ddbwarden.alert;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.util.HashMap;
import java.util.Map;

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
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        alert.attributes().forEach((name, value) ->
                attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        return sns.publish(r -> r.topicArn(topicArn)
                .subject(alert.subject())
                .message(alert.body())
                .messageAttributes(attributes)).messageId();
    }
}
