package dev.ddbwarden.check;

import dev.ddbwarden.event.TableRef;

import java.time.Instant;

/**
 * What a finding asks to be done, as data: checks stay pure, and the fix package holds the one
 * class per remedy that makes the call. A new kind of fix adds a record here and a Fix in fix/.
 */
public sealed interface Remedy permits Remedy.AlertOnly, Remedy.EnableDeletionProtection, Remedy.MarkDecommission {

    /** Whether the remedy changes the table, and so needs it settled (not CREATING or UPDATING). */
    boolean changesTable();

    /** What ddb-warden did, in the past tense, for the alert. */
    String done();

    /** What a person should run to do it by hand (notify mode, or when ddb-warden gave up). */
    String manualStep(TableRef table);

    /** Nothing to change: the alert is the whole response. */
    record AlertOnly(String advice) implements Remedy {
        @Override
        public boolean changesTable() {
            return false;
        }

        @Override
        public String done() {
            return "Nothing was changed (ddb-warden detects this but does not undo it).";
        }

        @Override
        public String manualStep(TableRef table) {
            return advice;
        }
    }

    record EnableDeletionProtection() implements Remedy {
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
    record MarkDecommission(Instant until) implements Remedy {
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
