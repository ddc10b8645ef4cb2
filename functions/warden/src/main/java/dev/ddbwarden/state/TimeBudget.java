package dev.ddbwarden.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The time one invocation may still spend waiting: Lambda's remaining time less a margin, so that a
 * wait never turns into a timeout that loses the work done so far.
 */
public final class TimeBudget {
    private final Clock clock;
    private final Instant deadline;

    private TimeBudget(Clock clock, Instant deadline) {
        this.clock = clock;
        this.deadline = deadline;
    }

    public static TimeBudget of(Clock clock, Duration remaining, Duration margin) {
        return new TimeBudget(clock, clock.instant().plus(remaining).minus(margin));
    }

    public Duration left() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean allows(Duration wait) {
        return left().compareTo(wait) >= 0;
    }
}
