package dev.ddbwarden.handler;

import dev.ddbwarden.TestClock;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertSenderTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final LedgerKey KEY = LedgerKey.of("event-1", "deletion-protection",
            "arn:aws:dynamodb:us-east-1:123456789012:table/orders");
    private static final Alert ALERT = new Alert("[HIGH] ddb-warden", "body", Map.of("severity", "HIGH"));

    private final TestClock clock = new TestClock(START);
    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper sleeper = wait -> {
        waits.add(wait);
        clock.advance(wait);
    };
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final AlertSender sender = new AlertSender(ledger, publisher, clock, sleeper);

    AlertSenderTest() {
        ledger.seed(new LedgerEntry(KEY, "deletion-protection", "arn", "CreateTable", "someone", "HIGH", "finding",
                "{}", "{}", "FIXED", LedgerEntry.Status.DONE, Optional.of(ALERT), LedgerEntry.AlertStatus.PENDING, START));
    }

    private TimeBudget minutes(int n) {
        return TimeBudget.of(clock, Duration.ofMinutes(n), Duration.ZERO);
    }

    @Test
    void publishesAndRecordsTheAlertAsSent() {
        assertThat(sender.send(KEY, ALERT, minutes(1))).isEqualTo("sent");

        assertThat(publisher.published()).containsExactly(ALERT);
        assertThat(ledger.entry(KEY).alertStatus()).isEqualTo(LedgerEntry.AlertStatus.SENT);
        assertThat(ledger.messageId(KEY)).contains("msg-1");
        assertThat(waits).isEmpty();
    }

    @Test
    void aRecordThatFailsIsRetriedSoARedeliveryFindsTheAlertSent() {
        ledger.failAlertSent(3);

        assertThat(sender.send(KEY, ALERT, minutes(1))).isEqualTo("sent");

        assertThat(waits).hasSize(3);
        assertThat(ledger.entry(KEY).alertStatus()).isEqualTo(LedgerEntry.AlertStatus.SENT);
        clock.advance(Duration.ofMinutes(30));
        assertThat(sender.send(KEY, ALERT, minutes(1))).isEqualTo("claimed elsewhere");
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void aRecordThatNeverLandsIsGivenUpWhileTheClaimIsStillThisRuns() {
        ledger.failAlertSent(Integer.MAX_VALUE);

        assertThat(sender.send(KEY, ALERT, minutes(5))).isEqualTo("sent");

        assertThat(waits).hasSizeGreaterThan(2);
        assertThat(Duration.between(START, clock.instant())).isLessThan(AlertSender.CLAIM);
        assertThat(ledger.entry(KEY).alertStatus()).isEqualTo(LedgerEntry.AlertStatus.SENDING);
        assertThat(sender.send(KEY, ALERT, minutes(1))).as("a concurrent delivery, claim still held")
                .isEqualTo("claimed elsewhere");
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void theRetriesStopWhereTheTimeBudgetEnds() {
        ledger.failAlertSent(Integer.MAX_VALUE);

        sender.send(KEY, ALERT, TimeBudget.of(clock, Duration.ofSeconds(2), Duration.ZERO));

        assertThat(Duration.between(START, clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void aFailedPublishReleasesTheClaimSoTheRetrySendsIt() {
        publisher.failNext(1);

        assertThatThrownBy(() -> sender.send(KEY, ALERT, minutes(1))).hasMessageContaining("SNS");
        assertThat(ledger.entry(KEY).alertStatus()).isEqualTo(LedgerEntry.AlertStatus.PENDING);

        assertThat(sender.send(KEY, ALERT, minutes(1))).isEqualTo("sent");
        assertThat(publisher.published()).hasSize(1);
    }
}
