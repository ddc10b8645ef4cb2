package dev.ddbwarden.handler;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.Ledger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The breaker's words: the window it counts fixes in, and the one alert of a tug of war. */
final class TugOfWar {
    /** The breaker counts fixes per table in clock hours, UTC. */
    private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private TugOfWar() {
    }

    static String window(Instant now) {
        return WINDOW.format(now);
    }

    /** Who keeps undoing ddb-warden, and what it does about it. */
    static Finding finding(Finding finding, Ledger.FixCount count, ApiCall call, Instant now, int limit) {
        return new Finding(finding.rule(), Severity.CRITICAL, finding.table(), "tug of war",
                "ddb-warden has fixed table " + finding.table().name() + " " + count.fixes() + " times this hour for rule "
                        + finding.rule() + " (limit " + limit + ", FIX_LIMIT_PER_HOUR): something keeps"
                        + " undoing it. The calls ddb-warden answered were made by: " + String.join(", ", count.actors())
                        + "; the latest by " + call.actor().describe() + ". ddb-warden's own fixes are made by its roles"
                        + " under /ddb-warden/. It stops fixing this table until " + nextWindow(now)
                        + " and alerts again if the fight goes on then.\n\nWhat it would have done: " + finding.detail(),
                new Remedy.AlertOnly("Find the other tool or pipeline (the actors above) and settle which one owns this"
                        + " setting; exempt the table (ExemptTables) if the other one should."));
    }

    static Outcome outcome(Ledger.FixCount count, Instant now, int limit) {
        return new Outcome(Outcome.Action.TUG_OF_WAR, "Stopped fixing this table until " + nextWindow(now)
                + " (" + count.fixes() + " fixes this hour, limit " + limit + ").");
    }

    private static String nextWindow(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).toString();
    }
}
