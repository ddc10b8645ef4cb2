package dev.ddbwarden.handler;

import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.SweptResources;
import dev.ddbwarden.config.RuleModes;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.Holds;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.ledger.SweepCounts;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.state.CallReads;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline's path for a call that names no table but another resource (an AWS Backup vault, plan or
 * recovery point): the rule decides on the record and on what its call augments read of that resource
 * ({@link Rule#evaluateResources(ApiCall, CallReads, Settings)}, with the ledger's holds on the tables the call names
 * for a rule that reads holds), and each finding is one ledger entry under the event, the rule and the resource, with
 * one alert sent once ({@link OnceAlerts}), so a re-delivered event changes nothing. Nothing is fixed.
 * A finding that goes out once per occurrence ({@link ResourceFinding#once}: the iam-users rule's user and day) is
 * keyed by that occurrence instead, the conditional write letting one event of it alert, and each of its events is
 * counted by call name under the same occurrence in the ledger's counter items.
 */
final class ResourceAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceAlerts.class);
    private static final String ALREADY_SENT = "already sent";
    /** The sweep's result when a rule could not read a region's resources. */
    static final String LOOK_FAILED = "LOOK_FAILED";

    private final Rule rule;
    private final Settings settings;
    private final OnceAlerts alerts;
    private final SweepCounts counts;
    private final Holds holds;
    private final AlertPublisher publisher;

    ResourceAlerts(Rule rule, Settings settings, OnceAlerts alerts, SweepCounts counts, Holds holds, AlertPublisher publisher) {
        this.rule = rule;
        this.settings = settings;
        this.alerts = alerts;
        this.counts = counts;
        this.holds = holds;
        this.publisher = publisher;
    }

    List<Result> process(ApiCall call, TimeBudget budget) {
        if (call.isSweep()) {
            // The sweep's call about one table: a rule with nothing on tables looks at its resources once a region
            // (sweep below), so this is none of its business: no read, and no warning for each of thousands of tables.
            return List.of();
        }
        RuleModes.Applied mode = settings.modeOf(rule.name());
        if (mode.off()) {
            // Decided on the record alone, with none of the rule's call augments read: a rule that is off asks AWS
            // nothing. A decision that needs its reads finds nothing, and only the log tells of the call.
            LOG.info("{}: {} is not acted on", mode.describe(), call.eventName());
            return rule.evaluateResources(call, CallReads.none(), settings).stream()
                    .map(onRecord -> Result.skipped(rule.name(), onRecord.resource().arn(), "SKIPPED_RULE_OFF"))
                    .toList();
        }
        CallReads reads = CallReads.read(rule.callAugments(), call, settings);
        Optional<Hold.OnTables> held = HeldOnCall.read(holds, rule.holds(), call);
        if (held.isPresent()) {
            reads = reads.with(Hold.OnTables.class, held.get());
        }
        List<ResourceFinding> found = rule.evaluateResources(call, reads, settings);
        if (found.isEmpty()) {
            return nothingToDo(call);
        }
        return found.stream().map(finding -> send(call, finding, budget)).toList();
    }

    /**
     * The sweep's look at the rule's other resources in {@code account}'s {@code region} ({@link Rule#sweepResources}):
     * each finding alerted once per sweep, under the sweep's own event ID.
     */
    List<Result> sweep(String sweepId, String account, String region, Instant now, TimeBudget budget) {
        if (settings.modeOf(rule.name()).off()) {
            return List.of();
        }
        SweptResources swept;
        try {
            swept = rule.sweepResources(account, region, settings);
        } catch (RuntimeException e) {
            // A place where the rule cannot look (DAX is not offered everywhere, a member role refused) must not stop its
            // tables' sweep nor another account's look; the counts name the account and region under the rule's name,
            // apart from the tables that failed.
            LOG.warn("the {} rule could not look in account {} region {}: {}", rule.name(), account, region, e.getMessage());
            return List.of(Result.skipped(rule.name(), account + "/" + region, LOOK_FAILED));
        }
        List<Result> results = swept.found().stream()
                .map(finding -> send(ApiCall.sweep(sweepId, region, finding.resource().accountId(), "", now), finding, budget))
                .toList();
        if (!swept.compliant().isEmpty()) {
            // As a compliant table's: the rule's finding on each is closed where it was filed (Security Hub).
            publisher.compliant(swept.compliant().stream().map(resource -> new AlertPublisher.Compliant(rule.name(),
                    resource.kind(), resource.arn(), resource.region(), resource.accountId())).toList());
        }
        return results;
    }

    private Result send(ApiCall call, ResourceFinding finding, TimeBudget budget) {
        String subject = finding.resource().arn();
        if (!finding.once().isEmpty()) {
            counts.addSweepCounts(occurrence(finding), Map.of(call.eventName(), 1));
        }
        String occasion = finding.once().isEmpty() ? call.eventId() : finding.once();
        String sent = alerts.send(LedgerKey.of(occasion, rule.name(), subject), rule.name(), subject,
                finding.severity().name(), finding.detail(), call, AlertComposer.compose(finding, call), budget);
        if (ALREADY_SENT.equals(sent)) {
            LOG.info("{} already handled for {}; counted, nothing else to do", finding.once().isEmpty() ? "event"
                    : finding.once(), subject);
            return Result.skipped(rule.name(), subject, "ALREADY_HANDLED");
        }
        LOG.info("{} {} on {}: {}", finding.severity(), rule.name(), subject, Outcome.Action.ALERTED);
        return new Result(rule.name(), subject, finding.severity().name(), Outcome.Action.ALERTED.name(), sent);
    }

    private List<Result> nothingToDo(ApiCall call) {
        LOG.warn("{} names no table ddb-warden can read, nor anything else the {} rule alerts on; nothing to do",
                call.eventName(), rule.name());
        return List.of();
    }

    /** The counter item of a once-per-occurrence finding: its occurrence, rule and subject. */
    static String occurrence(ResourceFinding finding) {
        return finding.once() + "#" + finding.rule() + "#" + finding.resource().arn();
    }
}
