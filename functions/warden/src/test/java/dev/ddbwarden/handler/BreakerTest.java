package dev.ddbwarden.handler;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.NoLedger;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRemedy;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The tug-of-war breaker on its own: counting per table and clock hour, tripping once, then staying open. */
class BreakerTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:34:00Z");
    private static final ApiCall CALL = TestEvents.call(TestEvents.event("UpdateTable", "orders"));
    private static final Finding FINDING = new Finding("deletion-protection", Severity.MEDIUM, TestEvents.table("orders"),
            "deletion protection off", "Deletion protection is off.", new DeletionProtectionRemedy.EnableDeletionProtection());

    private final InMemoryLedger ledger = new InMemoryLedger();
    private final Breaker breaker = new Breaker(ledger, 2);

    @Test
    void judge_shouldLetTheFixThrough_belowTheLimit() {
        breaker.count(FINDING, NOW, "arn:aws:iam::123456789012:role/Developer");

        assertThat(breaker.judge(FINDING, CALL, NOW)).isEmpty();
    }

    @Test
    void judge_shouldTripOnceWithTheTugOfWarAlert_thenStayOpenUntilTheHourEnds() {
        // GIVEN two fixes this hour, the limit
        breaker.count(FINDING, NOW, "arn:aws:iam::123456789012:role/Developer");
        breaker.count(FINDING, NOW.minusSeconds(600), "arn:aws:iam::123456789012:role/Pipeline");

        // WHEN the third fix is planned, and then a fourth
        var first = breaker.judge(FINDING, CALL, NOW);
        var second = breaker.judge(FINDING, CALL, NOW);

        // THEN the first trips with a CRITICAL alert-only finding naming the next hour, the second finds it open
        assertThat(first).get().isInstanceOfSatisfying(Breaker.Tripped.Now.class, now -> {
            assertThat(now.finding().severity()).isEqualTo(Severity.CRITICAL);
            assertThat(now.finding().remedy()).isInstanceOf(Remedy.AlertOnly.class);
            assertThat(now.finding().detail()).contains("2 times this hour", "role/Pipeline", "2024-05-01T13:00:00Z");
            assertThat(now.outcome().action()).isEqualTo(Outcome.Action.TUG_OF_WAR);
        });
        assertThat(second).get().isInstanceOf(Breaker.Tripped.Open.class);
        assertThat(breaker.judge(FINDING, CALL, NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void judge_shouldNeverTrip_withoutALedger() {
        Breaker forgetful = new Breaker(new NoLedger(), 1);
        forgetful.count(FINDING, NOW, "someone");

        assertThat(forgetful.judge(FINDING, CALL, NOW)).isEmpty();
    }
}
