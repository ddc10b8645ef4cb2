package dev.ddbwarden.state;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: every wait ddb-warden makes, so that many invocations
 * waiting on the same thing do not come back in step.
 */
public final class Backoff {
    private final Duration longest;
    private Duration base;

    public Backoff(Duration first, Duration longest) {
        this.base = first;
        this.longest = longest;
    }

    /** The next wait: the current base plus up to half of it again, after which the base doubles, up to the cap. */
    public Duration next() {
        Duration wait = base.plusMillis(ThreadLocalRandom.current().nextLong(base.toMillis() / 2 + 1));
        Duration doubled = base.multipliedBy(2);
        base = doubled.compareTo(longest) > 0 ? longest : doubled;
        return wait;
    }
}
