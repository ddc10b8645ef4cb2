package dev.ddbwarden.fix;

import java.time.Duration;

/**
 * DynamoDB refused a change because the resource changed very recently (a policy cannot be updated for
 * 15 seconds after the last update): worth trying again after {@link #retryAfter()}.
 */
public final class ResourceBusy extends RuntimeException {
    private final transient Duration retryAfter;

    public ResourceBusy(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
