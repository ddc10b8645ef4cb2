package dev.ddbwarden.fix;

import dev.ddbwarden.check.Remedy;

import java.time.Duration;
import java.util.Optional;

/**
 * DynamoDB refused a change because the resource changed very recently (a policy cannot be updated for
 * 15 seconds after the last update): worth trying again after {@link #retryAfter()}.
 */
public final class ResourceBusy extends RuntimeException {
    private final transient Duration retryAfter;
    private final transient Remedy remaining;

    /** @param remaining what is left to apply when part of the remedy was applied before the refusal, else null */
    public ResourceBusy(String message, Duration retryAfter, Remedy remaining, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
        this.remaining = remaining;
    }

    /**
     * The rest of the remedy, to apply instead of all of it (applying a part twice would fail); present
     * only when part of it was applied.
     */
    public Optional<Remedy> remaining() {
        return Optional.ofNullable(remaining);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
