package dev.ddbwarden.alert;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.EventTime;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.fix.Outcome;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a finding and what became of it into the text a security engineer reads. Pure. Every text quoted
 * from the event or the live state is bounded on its own ({@link Excerpt}), and the finding's texts as a
 * whole too, so that the lines naming the rule, table, event and what to do always fit in
 * {@link Alert#MAX_BODY_BYTES}, whatever a hostile event carries.
 */
public final class AlertComposer {
    /** The finding's account of what it saw: room for a resource policy quoted whole, and its context. */
    static final int DETAIL_BYTES = 24 * 1024;
    /** The steps to do by hand: room for a rewritten resource policy, and the commands around it. */
    static final int STEPS_BYTES = 24 * 1024;
    /** What ddb-warden did: a sentence or two, naming resources. */
    static final int OUTCOME_BYTES = 4 * 1024;
    /** The resource kind of a table's finding, as {@link AlertFacts#resourceKind()} names kinds. */
    public static final String TABLE = "DynamoDB table";
    /** A title cut shorter than this says nothing; the subject goes without it. */
    private static final int MIN_TITLE = 12;

    private AlertComposer() {
    }

    public static Alert compose(Finding finding, ApiCall call, Outcome outcome) {
        // Immutable already, so the alert keeps it without a copy.
        Map<String, String> attributes = Map.of("severity", finding.severity().name(), "rule", finding.rule(),
                "account", finding.table().accountId(), "region", finding.table().region());
        return new Alert(subject(finding), body(finding, call, outcome), attributes, Optional.of(facts(finding, call, outcome)));
    }

    private static AlertFacts facts(Finding finding, ApiCall call, Outcome outcome) {
        boolean resolved = outcome.action() == Outcome.Action.FIXED || outcome.action() == Outcome.Action.ALREADY_COMPLIANT;
        String remediation = resolved ? outcome.description() : finding.remedy().manualStep(finding.table());
        return new AlertFacts(finding.rule(), finding.severity(), TABLE, finding.table().arn(), finding.table().name(),
                finding.table().accountId(), finding.table().region(), finding.table().partition(), finding.title(),
                finding.detail() + "\n\nWhat ddb-warden did: " + outcome.description(), remediation,
                call.actor().describe(), call.eventName(), call.eventSource(), call.eventId(), call.sourceIp(),
                call.eventTime().orElse(Instant.EPOCH), resolved);
    }

    /**
     * The alert on a call about a resource other than a table: what was found, the resource, that nothing was
     * changed and what to do, and who made the call. No exemption section: exemptions name tables.
     */
    public static Alert compose(ResourceFinding finding, ApiCall call) {
        ResourceRef resource = finding.resource();
        Map<String, String> attributes = Map.of("severity", finding.severity().name(), "rule", finding.rule(),
                "account", resource.accountId(), "region", resource.region());
        StringBuilder text = new StringBuilder();
        text.append(Excerpt.of(finding.detail(), DETAIL_BYTES)).append("\n\n");
        line(text, "Severity", finding.severity().name());
        line(text, "Rule", finding.rule());
        line(text, "Resource", Excerpt.line(resource.arn()));
        line(text, "Name", Excerpt.line(resource.kind() + " " + resource.name()));
        line(text, "Account", resource.accountId());
        line(text, "Region", resource.region());
        text.append("\nWhat ddb-warden did\n");
        text.append("  ").append(new Remedy.AlertOnly("").done()).append('\n');
        text.append("  What to do: ").append(Excerpt.of(finding.advice(), STEPS_BYTES)).append('\n');
        caller(text, call);
        AlertFacts facts = new AlertFacts(finding.rule(), finding.severity(), resource.kind(), resource.arn(),
                resource.name(), resource.accountId(), resource.region(), TableRef.partitionOf(resource.region()),
                finding.title(), finding.detail(), finding.advice(), call.actor().describe(), call.eventName(),
                call.eventSource(), call.eventId(), call.sourceIp(), call.eventTime().orElse(Instant.EPOCH), false);
        return new Alert(subject(finding.severity(), finding.rule(), resource.name(), resource.region(), finding.title()),
                text.toString(), attributes, Optional.of(facts));
    }

    /**
     * Whether two outcomes of one finding and call make the same alert: an alert shows an outcome's action and
     * description, nothing else of it. Kept beside {@link #compose} so that the two cannot drift apart.
     */
    public static boolean sameAlert(Outcome one, Outcome other) {
        return one.action() == other.action() && one.description().equals(other.description());
    }

    /** ddb-warden itself was refused a call: the event went unhandled until someone grants what is missing. */
    public static Alert missingPermission(String rule, ApiCall call, String error) {
        Map<String, String> attributes = Map.of("severity", "HIGH", "rule", rule, "account", call.accountId(),
                "region", call.region());
        String subject = "[HIGH] ddb-warden " + rule + ": missing permission (" + call.region() + ")";
        String body = "ddb-warden was refused a call while handling " + call.eventName() + " (CloudTrail event ID "
                + Excerpt.line(call.eventId()) + ") and could not check or fix what it names. Retrying cannot help, so"
                + " the event was dropped after this alert.\n\n  Error: " + Excerpt.line(error, OUTCOME_BYTES)
                + "\n\nWhat to do\n"
                + "  Check the function's role under /ddb-warden/ against template.yaml, any service control policy or"
                + " permissions boundary, the table's resource policy (a Deny there applies to ddb-warden too) and the"
                + " alert key's policy. Then replay the event: ./warden invoke with the event, or replay-failures.\n";
        return new Alert(subject, body, attributes);
    }

    /**
     * Severity, rule, table and region always fit; the title takes what room is left. Only a table name
     * too long for the line is shortened. ASCII only: some SNS subscribers take nothing else.
     */
    static String subject(Finding finding) {
        return subject(finding.severity(), finding.rule(), finding.table().name(), finding.table().region(), finding.title());
    }

    /** @param name the table's name, or another resource's */
    private static String subject(Severity severity, String rule, String name, String regionName, String titleText) {
        String head = "[" + severity + "] ddb-warden " + rule + ": ";
        String region = " (" + regionName + ")";
        String table = Subject.ascii(name);
        int roomForTable = Subject.MAX - head.length() - region.length();
        if (table.length() > roomForTable) {
            return head + table.substring(0, Math.max(0, roomForTable - Subject.ELLIPSIS.length())) + Subject.ELLIPSIS
                    + region;
        }
        String line = head + table + region;
        String title = " - " + Subject.ascii(titleText);
        if (line.length() + title.length() <= Subject.MAX) {
            return line + title;
        }
        int roomForTitle = Subject.MAX - line.length() - Subject.ELLIPSIS.length();
        return roomForTitle < MIN_TITLE ? line : line + title.substring(0, roomForTitle) + Subject.ELLIPSIS;
    }

    private static String body(Finding finding, ApiCall call, Outcome outcome) {
        StringBuilder text = new StringBuilder();
        text.append(Excerpt.of(finding.detail(), DETAIL_BYTES)).append("\n\n");
        line(text, "Severity", finding.severity().name());
        line(text, "Rule", finding.rule());
        line(text, "Table", finding.table().name());
        line(text, "Table ARN", finding.table().arn());
        line(text, "Account", finding.table().accountId());
        line(text, "Region", finding.table().region());

        text.append("\nWhat ddb-warden did\n");
        text.append("  ").append(Excerpt.of(outcome.description(), OUTCOME_BYTES)).append('\n');
        if (outcome.action() == Outcome.Action.NOT_FIXED_NOTIFY_MODE || outcome.action() == Outcome.Action.GAVE_UP
                || outcome.action() == Outcome.Action.ALERTED || outcome.action() == Outcome.Action.RETRYING) {
            text.append("  What to do: ").append(Excerpt.of(finding.remedy().manualStep(finding.table()), STEPS_BYTES))
                    .append('\n');
        }

        caller(text, call);

        text.append("\nTo exempt or decommission this table\n");
        text.append("  Exempt it: add its name, or a glob such as scratch-*, to the ExemptTables parameter\n");
        text.append("  (EXEMPT_TABLES) and redeploy. Decommission it: a role listed in ApprovedPrincipals (none\n");
        text.append("  while that parameter is empty, its default) turns deletion protection off; once CloudTrail's\n");
        text.append("  record confirms who did it, ddb-warden tags it ddb-warden:decommission and leaves it alone for\n");
        text.append("  DecommissionWindowHours (24 by default). The ledger keeps this decision under the event ID\n");
        text.append("  above; the tag alone exempts nothing. As that role:\n");
        text.append("    aws dynamodb update-table --table-name ").append(finding.table().arn()).append(" --region ")
                .append(finding.table().region()).append(" --no-deletion-protection-enabled\n");
        return text.toString();
    }

    private static void caller(StringBuilder text, ApiCall call) {
        text.append("\nWho made the call\n");
        line(text, "Actor", call.actor().describe());
        line(text, "Source IP", orUnknown(Excerpt.line(call.sourceIp())));
        line(text, "User agent", orUnknown(Excerpt.line(call.userAgent())));
        line(text, "When", EventTime.text(call.eventTime()));
        line(text, "Call", Excerpt.line(call.eventName()) + " in " + call.region());
        line(text, "CloudTrail event ID", Excerpt.line(call.eventId()));
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append("  ").append(label).append(": ").append(value).append('\n');
    }

    private static String orUnknown(String value) {
        return value.isEmpty() ? "(not recorded)" : value;
    }
}
