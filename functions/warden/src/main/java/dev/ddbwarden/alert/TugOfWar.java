package dev.ddbwarden.alert;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.fix.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;

/** The breaker's words: the one alert of a tug of war, and what ddb-warden does about it. */
public final class TugOfWar {

    private TugOfWar() {
    }

    /**
     * Who keeps undoing ddb-warden, and what it does about it.
     *
     * @param fixes  the fixes ddb-warden made on the table this hour
     * @param actors who made the calls those fixes answered
     */
    public static Finding finding(Finding finding, int fixes, Collection<String> actors, ApiCall call, Instant now, int limit) {
        return new Finding(finding.rule(), Severity.CRITICAL, finding.table(), "tug of war",
                "ddb-warden has fixed table " + finding.table().name() + " " + fixes + " times this hour for rule "
                        + finding.rule() + " (limit " + limit + ", FIX_LIMIT_PER_HOUR): something keeps"
                        + " undoing it. The calls ddb-warden answered were made by: " + String.join(", ", actors)
                        + "; the latest by " + call.actor().describe() + ". ddb-warden's own fixes are made by its roles"
                        + " under /ddb-warden/. It stops fixing this table until " + nextWindow(now)
                        + " and alerts again if the fight goes on then.\n\nWhat it would have done: " + finding.detail(),
                new Remedy.AlertOnly("Find the other tool or pipeline (the actors above) and settle which one owns this"
                        + " setting; exempt the table (ExemptTables) if the other one should."));
    }

    public static Outcome outcome(int fixes, Instant now, int limit) {
        return new Outcome(Outcome.Action.TUG_OF_WAR, "Stopped fixing this table until " + nextWindow(now)
                + " (" + fixes + " fixes this hour, limit " + limit + ").");
    }

    private static String nextWindow(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).toString();
    }
}
