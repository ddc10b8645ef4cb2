package dev.ddbwarden.check;

import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.table;
import static org.assertj.core.api.Assertions.assertThat;

/** ddb-warden's tags exempt a table only where the ledger backs them (issue 14, item 4). */
class TagTrustTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final TableRef ORDERS = table("orders");
    private static final String QUARANTINE_POLICY = QuarantineStatement.addedTo(Optional.empty(),
            List.of(ORDERS.arn()), QuarantineStatement.spared(ORDERS, List.of()));
    private static final Optional<Hold> QUARANTINE_HELD = Optional.of(new Hold(Hold.Kind.QUARANTINE, ORDERS.arn(),
            NOW.minus(Duration.ofDays(3)), Optional.empty()));
    private static final Instant DECIDED = NOW.minus(Duration.ofHours(2));
    private static final Instant UNTIL = DECIDED.plus(WINDOW);

    private static TableState state(Map<String, String> tags, Optional<String> policy) {
        return new TableState(ORDERS, "ACTIVE", tags).withAugment(ResourcePolicies.class,
                new ResourcePolicies(policy.map(p -> new ResourcePolicy(ORDERS.arn(), p, "1")), "", Optional.empty()));
    }

    private static Optional<Hold> decommissionHeld(Instant decidedAt, Instant until) {
        return Optional.of(new Hold(Hold.Kind.DECOMMISSION, ORDERS.arn(), decidedAt, Optional.of(until)));
    }

    @Test
    void judge_shouldQuarantine_whenStatementAndLedgerAgree() {
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(QuarantineStatement.TAG_KEY, "x"), Optional.of(QUARANTINE_POLICY)),
                QUARANTINE_HELD, Optional.empty(), NOW, WINDOW);

        assertThat(verdict.quarantined()).isTrue();
        assertThat(verdict.ignored()).isEmpty();
    }

    @Test
    void judge_shouldIgnoreQuarantineTag_whenTheLedgerHoldsNoDecision() {
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(QuarantineStatement.TAG_KEY, "x"), Optional.of(QUARANTINE_POLICY)),
                Optional.empty(), Optional.empty(), NOW, WINDOW);

        assertThat(verdict.quarantined()).isFalse();
        assertThat(verdict.ignored()).singleElement().satisfies(i -> {
            assertThat(i.key()).isEqualTo(QuarantineStatement.TAG_KEY);
            assertThat(i.why()).contains("ledger holds no quarantine decision");
        });
    }

    @Test
    void judge_shouldIgnoreQuarantineTag_whenThePolicyLacksTheStatement() {
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(QuarantineStatement.TAG_KEY, "x"), Optional.empty()),
                QUARANTINE_HELD, Optional.empty(), NOW, WINDOW);

        assertThat(verdict.quarantined()).isFalse();
        assertThat(verdict.ignored()).singleElement().satisfies(i -> assertThat(i.why()).contains("does not hold"));
    }

    @Test
    void judge_shouldDecommission_whenTheTagMatchesTheLedger() {
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(Decommission.TAG_KEY, UNTIL.toString()), Optional.empty()),
                Optional.empty(), decommissionHeld(DECIDED, UNTIL), NOW, WINDOW);

        assertThat(verdict.decommissionUntil()).contains(UNTIL);
        assertThat(verdict.ignored()).isEmpty();
    }

    @Test
    void judge_shouldIgnoreDecommissionTag_whenTheLedgerHoldsNoDecision() {
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(Decommission.TAG_KEY, UNTIL.toString()), Optional.empty()),
                Optional.empty(), Optional.empty(), NOW, WINDOW);

        assertThat(verdict.decommissionUntil()).isEmpty();
        assertThat(verdict.ignored()).singleElement().satisfies(i -> assertThat(i.why()).contains("no decommission decision"));
    }

    @Test
    void judge_shouldIgnoreDecommissionTag_whenItsDateIsLaterThanTheLedgers() {
        Instant later = UNTIL.plus(Duration.ofDays(30));

        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(Decommission.TAG_KEY, later.toString()), Optional.empty()),
                Optional.empty(), decommissionHeld(DECIDED, UNTIL), NOW, WINDOW);

        assertThat(verdict.decommissionUntil()).isEmpty();
        assertThat(verdict.ignored()).singleElement().satisfies(i -> assertThat(i.why()).contains("later than"));
    }

    @Test
    void judge_shouldCapTheDecommissionAtTheWindow_whenTheWindowIsNowShorter() {
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(Decommission.TAG_KEY, UNTIL.toString()), Optional.empty()),
                Optional.empty(), decommissionHeld(DECIDED, UNTIL), NOW, Duration.ofHours(3));

        assertThat(verdict.decommissionUntil()).contains(DECIDED.plus(Duration.ofHours(3)));
    }

    /** A decision dated ahead (a forged or skewed ledger item) must not stretch the window past now + window. */
    @Test
    void judge_shouldCountTheWindowFromNow_whenTheDecisionIsDatedInTheFuture() {
        Instant ahead = NOW.plus(Duration.ofDays(30));
        Instant tagged = ahead.plus(WINDOW);
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(Decommission.TAG_KEY, tagged.toString()), Optional.empty()),
                Optional.empty(), decommissionHeld(ahead, tagged), NOW, WINDOW);

        assertThat(verdict.decommissionUntil()).contains(NOW.plus(WINDOW));
    }

    @Test
    void judge_shouldEndTheDecommission_whenTheWindowHasPassedSinceTheDecision() {
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(Decommission.TAG_KEY, UNTIL.toString()), Optional.empty()),
                Optional.empty(), decommissionHeld(DECIDED, UNTIL), NOW, Duration.ofHours(1));

        assertThat(verdict.decommissionUntil()).isEmpty();
        assertThat(verdict.ignored()).isEmpty();
    }

    @Test
    void judge_shouldSayNothing_whenAnExpiredTagExemptsNothing() {
        TagTrust.Verdict verdict = TagTrust.judge(state(Map.of(Decommission.TAG_KEY, NOW.minusSeconds(1).toString()),
                Optional.empty()), Optional.empty(), Optional.empty(), NOW, WINDOW);

        assertThat(verdict.decommissionUntil()).isEmpty();
        assertThat(verdict.ignored()).isEmpty();
    }
}
