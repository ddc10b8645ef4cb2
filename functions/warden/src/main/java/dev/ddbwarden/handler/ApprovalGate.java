package dev.ddbwarden.handler;

import dev.ddbwarden.check.ActorConfirmation;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import dev.ddbwarden.state.TrailHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Settles who made a call before a decision that relaxes protection because of who it was (an approved
 * principal's decommission) is honoured. Such a decision is recognised by its effect: the check decides
 * otherwise when nobody is approved. CloudTrail's own record of the event ID must then name the same call,
 * actor and table; a record that differs is a forged event (CRITICAL alert), and the call is decided as
 * an unapproved principal's. No record yet defers the event through the re-check queue; after the last
 * re-check the call is decided as an unapproved principal's: it fails closed.
 */
final class ApprovalGate {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalGate.class);
    /** The ledger's subject prefix for the one alert about a forged event. */
    static final String FORGED = "forged-event";

    private final Rule rule;
    private final Settings settings;
    private final TrailHistory history;
    private final OnceAlerts alerts;

    ApprovalGate(Rule rule, Settings settings, TrailHistory history, OnceAlerts alerts) {
        this.rule = rule;
        this.settings = settings;
        this.history = history;
        this.alerts = alerts;
    }

    /**
     * The settings to decide with: as configured when the decision does not turn on who acted or CloudTrail
     * confirms the actor; with nobody approved when CloudTrail says otherwise or has not confirmed it by the
     * last re-check. Empty: not confirmed yet, re-check later.
     *
     * @param canRecheck whether a later re-check of this event is still possible
     */
    Optional<Settings> settingsFor(ApiCall call, TableRef table, Optional<TableState> state, Instant now,
                                   boolean canRecheck, TimeBudget budget) {
        Settings unapproved = rule.unconfirmed(settings);
        if (rule.evaluate(call, table, state, settings, now).equals(rule.evaluate(call, table, state, unapproved, now))) {
            return Optional.of(settings);
        }
        if (!settings.verifyActors()) {
            LOG.warn("{}=false: trusting the event's word that {} made {} on {}, without CloudTrail's record",
                    EnvVar.VERIFY_ACTORS, call.actor().describe(), call.eventName(), table.arn());
            return Optional.of(settings);
        }
        ActorConfirmation confirmation = confirm(call, table, budget);
        if (confirmation instanceof ActorConfirmation.Confirmed) {
            LOG.info("CloudTrail confirms that {} made {} {} on {}", call.actor().describe(), call.eventName(),
                    call.eventId(), table.arn());
            return Optional.of(settings);
        }
        if (confirmation instanceof ActorConfirmation.Forged forged) {
            LOG.error("forged event {}: {}", call.eventId(), String.join("; ", forged.differences()));
            alerts.send(LedgerKey.of(call.eventId(), FORGED, table.arn()), forgedFinding(call, table, forged), call,
                    "Decided on the table as if no approved principal had acted; the rule's own alert, if any, says what"
                            + " that changed.", budget);
            return Optional.of(unapproved);
        }
        if (canRecheck) {
            return Optional.empty();
        }
        LOG.warn("CloudTrail never confirmed that {} made {} {}; deciding as if no approved principal had",
                call.actor().describe(), call.eventName(), call.eventId());
        return Optional.of(unapproved);
    }

    private ActorConfirmation confirm(ApiCall call, TableRef table, TimeBudget budget) {
        TrailHistory.Lookup lookup = history.find(call.accountId(), call.region(), call.eventId(), budget);
        if (lookup instanceof TrailHistory.Lookup.Unanswered unanswered) {
            LOG.info("{}; the event waits for a re-check", unanswered.why());
            return new ActorConfirmation.NotRecordedYet();
        }
        if (lookup instanceof TrailHistory.Lookup.Found found) {
            Parsed parsed = ApiCallParser.parseRecord(found.record());
            if (parsed instanceof Parsed.Rejected rejected) {
                return new ActorConfirmation.Forged(List.of("CloudTrail's record under this ID is not such a call: "
                        + rejected.reason()));
            }
            return ActorConfirmation.judge(call, table, Optional.of(((Parsed.Call) parsed).call()));
        }
        return ActorConfirmation.judge(call, table, Optional.empty());
    }

    private Finding forgedFinding(ApiCall call, TableRef table, ActorConfirmation.Forged forged) {
        return new Finding(rule.name(), Severity.CRITICAL, table, "forged event",
                "ddb-warden was handed an event that claims " + call.actor().describe() + " made " + Excerpt.line(call.eventName())
                        + " on table " + table.name() + " (CloudTrail event ID " + Excerpt.line(call.eventId()) + "), but"
                        + " CloudTrail's own record of that event ID says otherwise: "
                        + Excerpt.line(String.join("; ", forged.differences())) + ".\n\nThe event did not come from"
                        + " CloudTrail as delivered: someone invoked ddb-warden directly or wrote to one of its queues."
                        + " ddb-warden decided on the table as if no approved principal had acted.",
                new Remedy.AlertOnly("Find who sent the event: the function's direct invocations (Lambda Invoke data"
                        + " events, if a trail logs them) and the senders to ddb-warden's re-check queues. Rule that the"
                        + " service control policies in scp/ are attached (protect-ddb-warden.json denies both to"
                        + " everyone but ddb-warden's roles), and see docs/security-model.md."));
    }
}
