package dev.ddbwarden.handler;

import dev.ddbwarden.alert.TugOfWar;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.Ledger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The tug-of-war breaker: past FIX_LIMIT_PER_HOUR fixes on one table in one clock hour, ddb-warden alerts
 * once and stops fixing that table until the hour ends. It counts in the ledger, so without one it never trips.
 */
final class Breaker {
    /** The breaker counts fixes per table in clock hours, UTC. */
    private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private final Ledger ledger;
    private final int limit;

    Breaker(Ledger ledger, int limit) {
        this.ledger = ledger;
        this.limit = limit;
    }

    /** What to do instead of the planned fix; empty to fix as planned. */
    sealed interface Tripped {
        /** The breaker tripped now: the tug-of-war alert replaces the fix. */
        record Now(Finding finding, Outcome outcome) implements Tripped {
        }

        /** The breaker was already open this hour: no fix, no alert. */
        record Open() implements Tripped {
        }
    }

    Optional<Tripped> judge(Finding finding, ApiCall call, Instant now) {
        if (!ledger.remembers()) {
            return Optional.empty();
        }
        String window = window(now);
        Ledger.FixCount count = ledger.fixesIn(finding.rule(), finding.table().arn(), window);
        if (count.fixes() < limit) {
            return Optional.empty();
        }
        if (!ledger.tripBreaker(finding.rule(), finding.table().arn(), window)) {
            return Optional.of(new Tripped.Open());
        }
        return Optional.of(new Tripped.Now(TugOfWar.finding(finding, count.fixes(), count.actors(), call, now, limit),
                TugOfWar.outcome(count.fixes(), now, limit)));
    }

    /** Counts a fix that changed the table in the window of {@code now}, the instant the decision was made at. */
    void count(Finding finding, Instant now, String actor) {
        if (ledger.remembers()) {
            ledger.countFix(finding.rule(), finding.table().arn(), window(now), actor);
        }
    }

    private static String window(Instant now) {
        return WINDOW.format(now);
    }
}
