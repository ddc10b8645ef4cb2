package dev.ddbwarden.rules.privatenetwork;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

import java.util.List;
import java.util.Optional;

/** What the private-network rule can ask to be done, besides an alert. */
public sealed interface PrivateNetworkRemedy extends Remedy {

    /**
     * Keeps the table to its VPC endpoints: records a trusted principal's {@code ddb-warden:network} tag in the ledger
     * (so that it counts from now on), then writes ddb-warden's statement into the table's policy, keeping the rest.
     *
     * @param recordTag the tag's value to record first; empty when it counts already or the table is private by glob
     * @param cut       the policy write; empty when the statement is in place already
     */
    record Protect(List<String> endpoints, Optional<String> recordTag, Optional<Remedy.PolicyCut> cut)
            implements PrivateNetworkRemedy {
        public Protect {
            endpoints = List.copyOf(endpoints);
        }

        @Override
        public boolean changesTable() {
            return cut.isPresent();
        }

        @Override
        public String done() {
            String recorded = recordTag.map(tag -> "Recorded the " + PrivateNetworkRule.TAG_KEY + "=" + tag
                    + " tag in ddb-warden's ledger: the table is kept to those endpoints from now on. ").orElse("");
            return recorded + cut.map(c -> "Wrote statement " + NetworkStatement.SID + " into the resource policy of "
                    + c.resourceArn() + ", keeping the owner's other statements (PutResourcePolicy on revision "
                    + c.revisionId() + "): only requests through " + String.join(", ", endpoints)
                    + " (and the roles and services it spares) reach the table.").orElse("");
        }

        @Override
        public String manualStep(TableRef table) {
            return cut.map(Remedy.PolicyCut::manualStep).orElse("Nothing to run: in notify mode ddb-warden records no"
                    + " tag; add the table to PrivateTables instead.");
        }
    }
}
