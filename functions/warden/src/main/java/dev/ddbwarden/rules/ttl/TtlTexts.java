package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.Optional;

/** The ttl rule's alerts on TTL that is on for a table that does not declare it. Pure. */
final class TtlTexts {
    private static final String DELETES = " DynamoDB deletes an item once the epoch-seconds time in that attribute is"
            + " past, typically within a few days of that time: items whose attribute is already in the past may be"
            + " deleted by DynamoDB within days unless TTL stays off, and deletions can start at once. A deleted item"
            + " is gone from the table, its indexes and its stream's readers' view; only a backup brings it back.";

    private TtlTexts() {
    }

    /** @param approved whether an approved principal turned TTL on (they may; the sweep still reports it) */
    static Finding undeclared(ApiCall call, TableRef table, TableState state, String attribute, boolean approved) {
        String name = Excerpt.line(attribute);
        String why = why(state, attribute);
        if (call.isSweep()) {
            return new Finding(TtlRule.RULE, Severity.MEDIUM, table, "TTL on without a declaration",
                    "TTL is on for table " + table.name() + " over attribute " + name + ", and the table does not declare"
                            + " TTL" + why + " (found by the sweep: ddb-warden cannot tell who turned it on, or when, so"
                            + " it changes nothing)." + DELETES,
                    TtlRule.reportOnly(table, attribute));
        }
        if (approved) {
            return new Finding(TtlRule.RULE, Severity.LOW, table, "TTL on by an approved principal",
                    "TTL was turned on for table " + table.name() + " over attribute " + name + " by "
                            + call.actor().describe() + ", an approved principal, so ddb-warden left it on. The table"
                            + " does not declare TTL" + why + ", so the sweep will report it until it does.",
                    new Remedy.AlertOnly("Declare it: " + TtlRule.declareStep(table, attribute)));
        }
        return new Finding(TtlRule.RULE, Severity.HIGH, table, "TTL turned on",
                "TTL was turned on for table " + table.name() + " over attribute " + name + " by "
                        + call.actor().describe() + ", who is not an approved principal, and the table does not declare"
                        + " TTL" + why + "." + DELETES + "\n\n" + restore(call, table),
                new TtlRemedy.DisableTtl(attribute));
    }

    /** Why the table's tag, if any, does not declare this attribute. */
    private static String why(TableState state, String attribute) {
        String tag = state.tags().get(TtlRule.TAG_KEY);
        if (tag == null) {
            return " (neither TtlTables nor a " + TtlRule.TAG_KEY + " tag names it)";
        }
        if (!tag.equals(attribute)) {
            return " (its " + TtlRule.TAG_KEY + " tag names attribute " + Excerpt.line(tag) + ", not this one)";
        }
        Optional<String> held = TtlDeclarations.heldAttribute(state);
        return " (its " + TtlRule.TAG_KEY + " tag names this attribute, but ddb-warden's ledger "
                + (held.isEmpty() ? "holds no declaration by an approved principal or security role"
                        : "holds the declaration of attribute " + Excerpt.line(held.get()) + " instead") + ")";
    }

    /** The restore to just before the call, with point-in-time recovery: the one way back for items already deleted. */
    private static String restore(ApiCall call, TableRef table) {
        String before = call.eventTime().map(at -> at.minusSeconds(1)).map(Instant::toString)
                .orElse("<a time before the change>");
        return "If items were deleted already, restore the table as it was just before the change into a new table"
                + " (point-in-time recovery must have been on), then copy back what is missing: aws dynamodb"
                + " restore-table-to-point-in-time --region " + table.region() + " --source-table-arn " + table.arn()
                + " --target-table-name " + table.name() + "-before-ttl --restore-date-time " + before
                + ". The restored table starts with TTL off.";
    }
}
