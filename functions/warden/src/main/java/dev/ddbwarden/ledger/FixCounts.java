package dev.ddbwarden.ledger;

import java.util.Set;

/** How often a rule fixed a table in an hour: what the tug-of-war breaker counts and trips on. */
public interface FixCounts {

    /** How often one rule fixed one table in a window (an hour), and who made the calls it answered. */
    FixCount fixesIn(String rule, String tableArn, String window);

    /** Counts one fix, made in answer to {@code actor}'s call. */
    void countFix(String rule, String tableArn, String window, String actor);

    /** Marks the window's breaker tripped; true only for the first caller, who sends the one alert. */
    boolean tripBreaker(String rule, String tableArn, String window);

    /** @param actors who made the calls the fixes answered */
    record FixCount(int fixes, Set<String> actors) {
        public FixCount {
            actors = Set.copyOf(actors);
        }
    }
}
