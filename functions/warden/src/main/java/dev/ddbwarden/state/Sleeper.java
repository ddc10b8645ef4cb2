package dev.ddbwarden.state;

import java.time.Duration;

/** Waiting, behind an interface so that tests of backoff take no wall time. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
