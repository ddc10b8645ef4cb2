package dev.ddbwarden.handler;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.ledger.Decisions;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.state.Backoff;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends a ledger entry's alert once: the run that claims it publishes it and records it as sent. Every
 * rule's pipeline and the watcher send through this one piece, so they keep the same promise.
 */
public final class AlertSender {
    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    /**
     * How long one run holds an alert for itself. Shorter than Lambda's first retry (about a minute), so
     * that a run which died holding the claim delays its alert and never loses it.
     */
    static final Duration CLAIM = Duration.ofSeconds(30);
    /** Left of the claim when this run stops retrying the record: past it, another run may claim the alert. */
    private static final Duration CLAIM_MARGIN = Duration.ofSeconds(5);
    private static final Duration FIRST_WAIT = Duration.ofMillis(250);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(4);

    private final Decisions ledger;
    private final AlertPublisher publisher;
    private final Clock clock;
    private final Sleeper sleeper;

    public AlertSender(Decisions ledger, AlertPublisher publisher, Clock clock, Sleeper sleeper) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Publishes unless another run holds the alert. A failed publish is thrown: the claim is released,
     * the fix stands, and Lambda's retry sends the alert.
     *
     * @return "sent", or "claimed elsewhere" when another run is sending it
     */
    public String send(LedgerKey key, Alert alert, TimeBudget budget) {
        Instant now = clock.instant();
        Instant claimEnd = now.plus(CLAIM);
        if (!ledger.claimAlert(key, now, claimEnd)) {
            LOG.info("another invocation is sending the alert for {}", key.subject());
            return "claimed elsewhere";
        }
        String messageId;
        try {
            messageId = publisher.publish(alert);
        } catch (RuntimeException e) {
            ledger.releaseAlert(key);
            throw e;
        }
        record(key, messageId, claimEnd.minus(CLAIM_MARGIN), budget);
        return "sent";
    }

    /**
     * Records the alert as sent, retrying while the claim is surely this run's and the budget allows. The
     * alert is out: throwing now would have Lambda's retry send it twice, so a record that never lands is
     * logged, and the entry stays SENDING; only a re-delivery after the claim ran out can then send it again.
     */
    private void record(LedgerKey key, String messageId, Instant retryUntil, TimeBudget budget) {
        Backoff backoff = new Backoff(FIRST_WAIT, LONGEST_WAIT);
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                ledger.alertSent(key, messageId);
                if (attempts > 1) {
                    LOG.info("alert {} for {} recorded as sent at attempt {}", messageId, key.subject(), attempts);
                }
                return;
            } catch (RuntimeException e) {
                Duration wait = backoff.next();
                if (clock.instant().plus(wait).isAfter(retryUntil) || !budget.allows(wait)) {
                    LOG.error("alert {} for {} was published but the ledger could not record it after {} attempts: {};"
                            + " a re-delivery of this event after {} may publish it again", messageId, key.subject(),
                            attempts, e.getMessage(), retryUntil.plus(CLAIM_MARGIN));
                    return;
                }
                LOG.warn("recording alert {} for {} as sent failed ({}); trying again in {} ms", messageId, key.subject(),
                        e.getMessage(), wait.toMillis());
                sleeper.pause(wait, "to record an alert as sent");
            }
        }
    }
}
