package dev.ddbwarden.handler;

import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.check.TagTrust;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.ledger.Holds;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.state.TableState;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether ddb-warden's tags keep a rule away from a table: only where the ledger backs them
 * ({@link TagTrust}). A tag that claims an exemption the ledger does not back is ignored and reported,
 * once per table, tag and value, whichever rule or sweep meets it first. The ledger is read only for a
 * table that carries one of the tags.
 */
final class TagExemptions {
    private static final Logger LOG = LoggerFactory.getLogger(TagExemptions.class);
    /** The ledger's subject prefix for the one alert about an ignored tag. */
    static final String IGNORED_TAG = "ignored-tag";

    private final Holds ledger;
    private final OnceAlerts alerts;

    TagExemptions(Holds ledger, OnceAlerts alerts) {
        this.ledger = ledger;
        this.alerts = alerts;
    }

    /**
     * Why the rule leaves the table alone (the result's action), or empty when it does not.
     *
     * @param finding  what the rule decided: a decommission still lets what cannot be undone (a deletion) be reported
     * @param reopened whether an earlier run opened this decision: it is finished, not skipped
     */
    Optional<String> skip(Rule rule, ApiCall call, TableRef table, Optional<TableState> state, Optional<Finding> finding,
                          boolean reopened, Settings settings, Instant now, TimeBudget budget) {
        if (!rule.honoursExemptions() || state.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> tags = state.get().tags();
        boolean quarantineTag = tags.containsKey(QuarantineStatement.TAG_KEY);
        boolean decommissionTag = tags.containsKey(Decommission.TAG_KEY);
        if (!quarantineTag && !decommissionTag) {
            return Optional.empty();
        }
        TagTrust.Verdict verdict = TagTrust.judge(state.get(),
                quarantineTag ? ledger.holdOn(Hold.Kind.QUARANTINE, table.arn()) : Optional.empty(),
                decommissionTag ? ledger.holdOn(Hold.Kind.DECOMMISSION, table.arn()) : Optional.empty(),
                now, settings.decommissionWindow());
        for (TagTrust.Ignored ignored : verdict.ignored()) {
            LOG.warn("{} carries {}={}, ignored: {}", table.arn(), ignored.key(), ignored.value(), ignored.why());
            alerts.send(LedgerKey.of("tag#" + ignored.key() + "=" + ignored.value(), IGNORED_TAG, table.arn()),
                    ignoredTag(rule, call, table, ignored), call,
                    "Ignored the tag: ddb-warden goes on enforcing every rule on the table. The tag itself was left as it is.",
                    budget);
        }
        if (verdict.quarantined()) {
            LOG.info("{} is quarantined; the security team has it", table.name());
            return Optional.of("SKIPPED_QUARANTINED");
        }
        if (verdict.decommissionUntil().isPresent() && !reopened
                && finding.map(f -> !(f.remedy() instanceof Remedy.AlertOnly)).orElse(true)) {
            LOG.info("{} is being decommissioned until {}; left alone", table.name(), verdict.decommissionUntil().get());
            return Optional.of("SKIPPED_DECOMMISSIONING");
        }
        return Optional.empty();
    }

    private static Finding ignoredTag(Rule rule, ApiCall call, TableRef table, TagTrust.Ignored ignored) {
        String tag = Excerpt.line(ignored.key()) + "=" + Excerpt.line(ignored.value());
        return new Finding(rule.name(), Severity.HIGH, table, "exemption tag ignored",
                "Table " + table.name() + " carries the tag " + tag + ", which would keep ddb-warden away from it, but "
                        + ignored.why() + ". Anyone allowed dynamodb:TagResource can write that tag, so ddb-warden ignores"
                        + " it and goes on enforcing every rule on the table. It was found by " + call.actor().describe()
                        + " (" + Excerpt.line(call.eventName()) + ").",
                new Remedy.AlertOnly("Find who set the tag and when: aws cloudtrail lookup-events --region " + table.region()
                        + " --lookup-attributes AttributeKey=EventName,AttributeValue=TagResource --query"
                        + " \"Events[?contains(CloudTrailEvent, '" + ignored.key() + "')]\" (and CreateTable, which takes"
                        + " tags too). Then remove it: aws dynamodb untag-resource --region " + table.region()
                        + " --resource-arn " + table.arn() + " --tag-keys " + ignored.key()
                        + ". The scp/ policies deny setting ddb-warden's tags to everyone but its roles."));
    }
}
