package dev.ddbwarden.rules.deletionprotection;

import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

import java.time.Instant;

/** What the deletion-protection rule can ask to be done, besides an alert. */
public sealed interface DeletionProtectionRemedy extends Remedy {

    record EnableDeletionProtection() implements DeletionProtectionRemedy {
        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return "Turned deletion protection on (UpdateTable DeletionProtectionEnabled=true).";
        }

        @Override
        public String manualStep(TableRef table) {
            return "aws dynamodb update-table --region " + table.region() + " --table-name " + table.arn()
                    + " --deletion-protection-enabled";
        }
    }

    /** Leave the table alone until {@code until}: an approved principal is taking it down. */
    record MarkDecommission(Instant until) implements DeletionProtectionRemedy {
        @Override
        public boolean changesTable() {
            return false;
        }

        @Override
        public String done() {
            return "Left deletion protection off and tagged the table " + Decommission.TAG_KEY + "=" + until
                    + ": ddb-warden leaves it alone until then.";
        }

        @Override
        public String manualStep(TableRef table) {
            return "aws dynamodb tag-resource --region " + table.region() + " --resource-arn " + table.arn()
                    + " --tags Key=" + Decommission.TAG_KEY + ",Value=" + until;
        }
    }
}
