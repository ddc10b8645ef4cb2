package dev.ddbwarden.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/** Without a topic (a quick local run), each alert goes to the log so that nothing is silently lost. */
public final class LogAlertPublisher implements AlertPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(LogAlertPublisher.class);

    @Override
    public String publish(Alert alert) {
        LOG.warn("ALERT_TOPIC_ARN is not set; alert written here instead: {}\n{}", alert.subject(), alert.body());
        return "log-" + UUID.randomUUID();
    }
}
