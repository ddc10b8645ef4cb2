package dev.ddbwarden.rules.tags;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

import java.util.Map;
import java.util.stream.Collectors;

/** What the tags rule can ask to be done, besides an alert. */
public sealed interface TagsRemedy extends Remedy {

    /**
     * TagResource of the creator tags a new table lacks (TAG_CREATOR): its creator's ARN and the time CloudTrail
     * recorded, never over a value already set.
     *
     * @param tags    the tags to add, only those the table did not carry
     * @param routine whether writing them is the finding's whole business (no required tag missing, no creator tag
     *                that disagrees with CloudTrail): then the tags written are recorded in the ledger, not alerted
     */
    record RecordCreator(Map<String, String> tags, boolean routine) implements TagsRemedy {
        public RecordCreator {
            tags = Map.copyOf(tags);
        }

        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return "Tagged the table with who created it and when (TagResource: " + listed() + ").";
        }

        @Override
        public String manualStep(TableRef table) {
            return "aws dynamodb tag-resource --region " + table.region() + " --resource-arn " + table.arn() + " --tags "
                    + tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(tag -> "Key=" + tag.getKey() + ",Value=" + tag.getValue()).collect(Collectors.joining(" "))
                    + " (as one of ddb-warden's roles: the SCP keeps ddb-warden: tags to them)";
        }

        private String listed() {
            return tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(tag -> tag.getKey() + "=" + tag.getValue()).collect(Collectors.joining(", "));
        }
    }
}
