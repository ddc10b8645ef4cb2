package dev.ddbwarden.rules.regionguard;

import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

import java.util.List;
import java.util.stream.Collectors;

/** What the region guard can ask to be done, besides an alert. */
public sealed interface RegionGuardRemedy extends Remedy {

    /**
     * Lock the table in place: a deny statement added to each policy named (the table's, its stream's),
     * written conditional on the revision read, then the quarantine tag. Nothing is deleted.
     */
    record Quarantine(List<Remedy.PolicyCut> policies, String tagValue) implements RegionGuardRemedy {
        public Quarantine {
            policies = List.copyOf(policies);
        }

        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return "Quarantined the table in place, its data intact: added statement " + QuarantineStatement.SID
                    + " to the resource policy of " + policies.stream().map(Remedy.PolicyCut::resourceArn)
                    .collect(Collectors.joining(" and ")) + ", and tagged it " + QuarantineStatement.TAG_KEY + ".";
        }

        /** The tag first: once the statement stands it refuses whoever wrote it, unless that one is spared. */
        @Override
        public String manualStep(TableRef table) {
            return "aws dynamodb tag-resource --region " + table.region() + " --resource-arn " + table.arn()
                    + " --tags Key=" + QuarantineStatement.TAG_KEY + ",Value=quarantined\n    "
                    + policies.stream().map(Remedy.PolicyCut::manualStep).collect(Collectors.joining("\n    "));
        }
    }

    /** Remove the replicas of a global table (version 2019.11.21) that live in forbidden regions. */
    record RemoveReplicas(List<String> regions) implements RegionGuardRemedy {
        public RemoveReplicas {
            regions = List.copyOf(regions);
        }

        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return "Removed the replica(s) in " + String.join(", ", regions)
                    + " (UpdateTable with a replica delete). The data lives on in the source table.";
        }

        @Override
        public String manualStep(TableRef table) {
            return regions.stream()
                    .map(region -> "aws dynamodb update-table --region " + table.region() + " --table-name " + table.name()
                            + " --replica-updates '[{\"Delete\": {\"RegionName\": \"" + region + "\"}}]'")
                    .collect(Collectors.joining("\n    "));
        }
    }
}
