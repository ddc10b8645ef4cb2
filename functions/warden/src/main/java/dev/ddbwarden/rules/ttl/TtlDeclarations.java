package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.TableState;

import java.util.List;
import java.util.Optional;

/**
 * Whether a table declares its TTL, and what a {@code ddb-warden:ttl} tag written by someone is worth. Anyone
 * allowed dynamodb:TagResource can write the tag, so it counts only beside the ledger's TTL hold for the same
 * attribute, which ddb-warden records only for an approved principal's or security role's tag. Pure.
 */
final class TtlDeclarations {

    private TtlDeclarations() {
    }

    /** Whether TTL on {@code attribute} is the table's own: TTL_TABLES names it, or a tag the ledger backs does. */
    static boolean declared(TableRef table, TableState state, String attribute, Settings settings) {
        return TtlRule.TTL_TABLES.in(settings).matches(table.name())
                || (attribute.equals(state.tags().get(TtlRule.TAG_KEY)) && heldAttribute(state).filter(attribute::equals).isPresent());
    }

    /** The attribute the ledger holds as declared for the table, if any. */
    static Optional<String> heldAttribute(TableState state) {
        return state.augment(Hold.Held.class).flatMap(held -> held.of(Hold.Kind.TTL)).flatMap(Hold::value);
    }

    /**
     * A TagResource, or a CreateTable, that writes the tag: recorded when a trusted principal wrote it and the ledger
     * does not hold it yet, reported when someone else did (the tag is ignored).
     */
    static List<Finding> judge(ApiCall call, TableRef table, TableState state, Settings settings) {
        Optional<String> tagged = TtlRule.taggedValue(call);
        // A later tag, or its removal, is the next TagResource's or UntagResource's business.
        if (tagged.isEmpty() || !tagged.get().equals(state.tags().get(TtlRule.TAG_KEY))
                || heldAttribute(state).filter(tagged.get()::equals).isPresent()) {
            return List.of();
        }
        String attribute = Excerpt.line(tagged.get());
        String who = call.actor().principalArn();
        if (settings.approvedPrincipals().contains(who) || settings.quarantineExemptPrincipals().contains(who)) {
            return List.of(new Finding(TtlRule.RULE, Severity.LOW, table, "TTL declared",
                    "Table " + table.name() + " declares TTL on attribute " + attribute + ": " + call.actor().describe()
                            + ", an approved principal or security role, " + (TtlRule.CREATE_TABLE.equals(call.eventName())
                                ? "created it tagged " : "tagged it ") + TtlRule.TAG_KEY + "=" + attribute
                            + ". ddb-warden leaves TTL on that attribute alone from now on.",
                    new TtlRemedy.RecordDeclaration(tagged.get())));
        }
        return List.of(new Finding(TtlRule.RULE, Severity.MEDIUM, table, "TTL declaration ignored",
                "Table " + table.name() + " was tagged " + TtlRule.TAG_KEY + "=" + attribute + " by "
                        + call.actor().describe() + ", who is neither an approved principal (ApprovedPrincipals) nor a"
                        + " security role (QuarantineExemptPrincipals). Anyone allowed dynamodb:TagResource can write"
                        + " that tag, so ddb-warden ignores it: TTL on that attribute is still turned off when someone"
                        + " else turns it on. Someone may be preparing to have DynamoDB delete the table's items.",
                new Remedy.AlertOnly("Find out why " + call.actor().describe() + " tagged the table. If the"
                        + " declaration is intended, " + TtlRule.declareStep(table, attribute) + ". If not, remove it: aws"
                        + " dynamodb untag-resource --region " + table.region() + " --resource-arn " + table.arn()
                        + " --tag-keys " + TtlRule.TAG_KEY + ". The scp/ policies deny setting ddb-warden's tags to"
                        + " everyone but its roles.")));
    }
}
