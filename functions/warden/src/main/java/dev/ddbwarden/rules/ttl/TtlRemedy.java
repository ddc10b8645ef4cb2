package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

/** What the ttl rule can ask to be done, besides an alert. */
public sealed interface TtlRemedy extends Remedy {

    /** UpdateTimeToLive(Enabled=false) over the attribute TTL is on for: DynamoDB asks for the attribute either way. */
    record DisableTtl(String attribute) implements TtlRemedy {
        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return "Turned TTL off again on attribute " + attribute + " (UpdateTimeToLive Enabled=false).";
        }

        @Override
        public String manualStep(TableRef table) {
            return "aws dynamodb update-time-to-live --region " + table.region() + " --table-name " + table.arn()
                    + " --time-to-live-specification Enabled=false,AttributeName=" + attribute
                    + " (DynamoDB refuses it until an hour after the last change of TTL: try again until it passes)";
        }
    }

    /** Records in the ledger that a trusted principal declared the table's TTL attribute, so that its tag counts. */
    record RecordDeclaration(String attribute) implements TtlRemedy {
        @Override
        public boolean changesTable() {
            return false;
        }

        @Override
        public String done() {
            return "Recorded the declaration in ddb-warden's ledger: TTL on attribute " + attribute
                    + " is this table's own from now on, while the tag stays as it is.";
        }

        @Override
        public String manualStep(TableRef table) {
            return "Nothing to run: in notify mode ddb-warden records no declaration; add the table to TtlTables instead.";
        }
    }
}
