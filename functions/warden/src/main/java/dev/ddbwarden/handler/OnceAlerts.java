package dev.ddbwarden.handler;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.Decisions;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.state.TimeBudget;

import java.time.Clock;
import java.util.Optional;

/**
 * An alert that goes out once under its ledger key, whichever run or rule meets its cause first: a forged
 * event, a tag that claims an exemption the ledger does not back. Later runs find the key and stay quiet;
 * one that finds the alert not yet sent (a run died before sending it) claims and sends it.
 */
final class OnceAlerts {
    private final Decisions ledger;
    private final AlertSender sender;
    private final Clock clock;

    OnceAlerts(Decisions ledger, AlertSender sender, Clock clock) {
        this.ledger = ledger;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * @param done what ddb-warden did about it, for the alert
     * @return "sent", "claimed elsewhere" or "already sent"
     */
    String send(LedgerKey key, Finding finding, ApiCall call, String done, TimeBudget budget) {
        Alert alert = AlertComposer.compose(finding, call, new Outcome(Outcome.Action.ALERTED, done));
        return send(key, finding.rule(), finding.table().arn(), finding.severity().name(), finding.detail(), call, alert,
                budget);
    }

    /** @param subject the ARN of what the alert is about: a table, or another resource ({@code ResourceFinding}) */
    String send(LedgerKey key, String rule, String subject, String severity, String detail, ApiCall call, Alert alert,
                TimeBudget budget) {
        LedgerEntry entry = new LedgerEntry(key, rule, subject, call.eventName(), call.actor().describe(), severity, detail,
                "", "", Outcome.Action.ALERTED.name(), LedgerEntry.Status.DONE, Optional.of(alert),
                LedgerEntry.AlertStatus.PENDING, clock.instant());
        if (ledger.open(entry)) {
            return sender.send(key, alert, budget);
        }
        Optional<LedgerEntry> earlier = ledger.find(key);
        if (earlier.isPresent() && earlier.get().alertStatus() != LedgerEntry.AlertStatus.SENT
                && earlier.get().alert().isPresent()) {
            return sender.send(key, earlier.get().alert().get(), budget);
        }
        return "already sent";
    }
}
