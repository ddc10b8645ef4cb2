package dev.ddbwarden.rules.tags;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.TableState;

import java.util.List;
import java.util.Optional;

/** The tags rule's alerts. Pure. */
final class TagsTexts {
    private static final String WHY = " Tags are how a table's owner, cost centre and environment are known: a table"
            + " without them is one nobody answers for.";

    private TagsTexts() {
    }

    /** A table created, restored or imported without the required tags, or tagged (or to be tagged) with its creator. */
    static Finding newTable(ApiCall call, TableRef table, TableState live, RequiredTags required, List<String> problems,
                            Optional<Creator> creator) {
        StringBuilder detail = new StringBuilder();
        if (!problems.isEmpty()) {
            detail.append("Table ").append(table.name()).append(" was made by ").append(Excerpt.line(call.eventName()))
                    .append(" by ").append(call.actor().describe()).append(" without the tags RequiredTags asks (")
                    .append(required.describe()).append("): ").append(String.join("; ", problems)).append('.')
                    .append(live.settled() ? "" : " The table was still " + live.status() + " when ddb-warden last read it.")
                    .append(WHY);
        }
        Optional<String> disagreeing = creator.flatMap(Creator::disagreeing);
        if (disagreeing.isPresent()) {
            detail.append(detail.isEmpty() ? "" : "\n\n").append("Table ").append(table.name()).append(" carries ")
                    .append(TagsRule.CREATED_BY).append('=').append(Excerpt.line(disagreeing.get())).append(", but CloudTrail")
                    .append(" records that ").append(Excerpt.line(creator.get().arn())).append(" made it (")
                    .append(Excerpt.line(call.eventName())).append(", event ").append(Excerpt.line(call.eventId()))
                    .append("). ddb-warden never overwrites that tag, and nothing it does reads it. The service control")
                    .append(" policy in scp/protect-ddb-warden.json keeps ddb-warden: tags to ddb-warden's roles and the")
                    .append(" security roles: is it attached to this account?");
        } else if (creator.isPresent() && !creator.get().toAdd().isEmpty()) {
            detail.append(detail.isEmpty() ? "" : "\n\n").append("Table ").append(table.name()).append(" was made by ")
                    .append(Excerpt.line(creator.get().arn())).append(" (").append(Excerpt.line(call.eventName()))
                    .append(", confirmed by CloudTrail's record): TagCreator tags it with who and when.");
        }
        Remedy remedy = creator.filter(c -> !c.toAdd().isEmpty()).<Remedy>map(c -> new TagsRemedy.RecordCreator(c.toAdd(),
                        problems.isEmpty() && disagreeing.isEmpty()))
                .orElseGet(() -> new Remedy.AlertOnly(problems.isEmpty() ? "Find who wrote the tag: aws cloudtrail"
                        + " lookup-events --region " + table.region() + " --lookup-attributes AttributeKey=ResourceName,"
                        + "AttributeValue=" + table.arn() : tagStep(table, required)));
        String title = disagreeing.isPresent() ? "creator tag disagrees with CloudTrail"
                : problems.isEmpty() ? "creator recorded" : "required tags missing";
        return new Finding(TagsRule.RULE, disagreeing.isPresent() ? Severity.MEDIUM : Severity.LOW, table, title,
                detail.toString(), remedy);
    }

    /** An UntagResource that removed a required tag, or one of ddb-warden's creator tags. */
    static Finding untagged(ApiCall call, TableRef table, RequiredTags required, List<String> problems, List<String> origin) {
        StringBuilder detail = new StringBuilder("UntagResource by ").append(call.actor().describe())
                .append(" removed tags from table ").append(table.name()).append('.');
        if (!problems.isEmpty()) {
            detail.append(" The table now lacks what RequiredTags asks: ").append(String.join("; ", problems)).append('.')
                    .append(WHY);
        }
        if (!origin.isEmpty()) {
            detail.append(" It removed ddb-warden's record of who created the table (").append(String.join(", ", origin))
                    .append("), which the service control policy in scp/protect-ddb-warden.json keeps to ddb-warden's roles")
                    .append(" and the security roles. ddb-warden's ledger still holds the creation it recorded; a creator")
                    .append(" tag written back by anyone else is not evidence of anything.");
        }
        return new Finding(TagsRule.RULE, origin.isEmpty() ? Severity.LOW : Severity.MEDIUM, table,
                origin.isEmpty() ? "required tag removed" : "creator tag removed", detail.toString(),
                new Remedy.AlertOnly(problems.isEmpty() ? "Find the creation in ddb-warden's ledger (the tags rule's"
                        + " entry for the table's CreateTable) and ask " + call.actor().describe() + " why the tag went."
                        : tagStep(table, required)));
    }

    /** A table the sweep found without the required tags. */
    static Finding sweepMissing(ApiCall call, TableRef table, RequiredTags required, List<String> problems) {
        return new Finding(TagsRule.RULE, Severity.LOW, table, "required tags missing", "Table " + table.name()
                + " lacks what RequiredTags asks (" + required.describe() + "): " + String.join("; ", problems)
                + " (found by " + call.actor().describe() + ")." + WHY, new Remedy.AlertOnly(tagStep(table, required)));
    }

    /** What the table's owner runs: ddb-warden cannot know the values. */
    private static String tagStep(TableRef table, RequiredTags required) {
        StringBuilder tags = new StringBuilder();
        required.byKey().forEach((key, allowed) -> tags.append(" Key=").append(key).append(",Value=")
                .append(allowed.isEmpty() ? "<value>" : "<" + String.join("|", allowed) + ">"));
        return "Ask the table's owner to tag it (ddb-warden cannot know the values): aws dynamodb tag-resource --region "
                + table.region() + " --resource-arn " + table.arn() + " --tags" + tags
                + ". If it is made by infrastructure as code, add the tags there, or the next apply removes them.";
    }
}
