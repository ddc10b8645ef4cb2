package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

/** What the table-key rule can ask to be done, besides an alert. */
public sealed interface TableKeyRemedy extends Remedy {

    /**
     * CancelKeyDeletion when the key is pending deletion (it is Disabled after), then EnableKey: both reversible,
     * and the key changes, not the table.
     */
    record RestoreKey(String keyArn) implements TableKeyRemedy {
        @Override
        public boolean changesTable() {
            return false;
        }

        @Override
        public String done() {
            return "Restored KMS key " + keyArn + ": cancelled its deletion where one was scheduled (CancelKeyDeletion)"
                    + " and enabled it (EnableKey).";
        }

        @Override
        public String manualStep(TableRef table) {
            return commands();
        }

        /** The same by hand: the key's, whichever table it serves. */
        String commands() {
            String region = keyArn.split(":", 6)[3];
            return "aws kms cancel-key-deletion --region " + region + " --key-id " + keyArn + " (only if it is pending"
                    + " deletion); then aws kms enable-key --region " + region + " --key-id " + keyArn;
        }
    }
}
