package dev.ddbwarden.state;

import java.time.Duration;

/** Waiting, behind an interface so that tests of backoff take no wall time. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;

    /**
     * Sleeps where a wait may not be cut short: an interrupt (Lambda's runtime shutting down) keeps the
     * thread's flag and ends the run with an error naming what it was waiting for.
     */
    default void pause(Duration duration, String waitingFor) {
        try {
            sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting " + waitingFor, e);
        }
    }
}
