package dev.ddbwarden.check;

import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a finding asks to be done, as data: checks stay pure, and the fix package holds the one
 * class per remedy that makes the call. A new kind of fix adds a record here and a Fix in fix/.
 */
public sealed interface Remedy
        permits Remedy.AlertOnly, Remedy.EnableDeletionProtection, Remedy.MarkDecommission, Remedy.RemovePolicyStatements,
        Remedy.Quarantine, Remedy.RemoveReplicas {

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

    /** Take back the statements that leak from each policy named, keeping the rest. */
    record RemovePolicyStatements(List<PolicyCut> cuts) implements Remedy {
        public RemovePolicyStatements {
            cuts = List.copyOf(cuts);
        }

        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return cuts.stream().map(PolicyCut::done).collect(Collectors.joining(" "));
        }

        @Override
        public String manualStep(TableRef table) {
            return cuts.stream().map(PolicyCut::manualStep).collect(Collectors.joining("\n    "));
        }
    }

    /**
     * One policy to rewrite: written back without the leaking statements, conditional on the revision
     * read, or deleted when none would remain.
     *
     * @param rewritten the policy without the removed statements; empty to delete the policy
     */
    record PolicyCut(String resourceArn, String revisionId, Optional<String> rewritten, List<String> removed) {
        /** The revision to expect when the resource has no policy yet: the write fails if one appeared. */
        public static final String NO_POLICY = "NO_POLICY";

        public PolicyCut {
            removed = List.copyOf(removed);
        }

        String done() {
            return rewritten.isPresent()
                    ? "Removed " + removed.size() + " statement(s) from the resource policy of " + resourceArn
                            + " and kept the rest (PutResourcePolicy on revision " + revisionId + ")."
                    : "Deleted the resource policy of " + resourceArn + ": no statement would have remained"
                            + " (DeleteResourcePolicy on revision " + revisionId + ").";
        }

        /** Ends with the resource's own region: the CLI's default region may be another, where the ARN names nothing. */
        String manualStep() {
            String region = " --region " + resourceArn.split(":", 6)[3];
            return rewritten
                    .map(policy -> "aws dynamodb put-resource-policy --resource-arn " + resourceArn
                            + " --expected-revision-id " + revisionId
                            + " --policy " + shellQuoted(Excerpt.block(policy)) + region)
                    .orElse("aws dynamodb delete-resource-policy --resource-arn " + resourceArn
                            + " --expected-revision-id " + revisionId + region);
        }

        /** One shell word whatever the policy holds: a kept statement is someone else's text, not ours to run. */
        private static String shellQuoted(String text) {
            return "'" + text.replace("'", "'\\''") + "'";
        }
    }

    /**
     * Lock the table in place: a deny statement added to each policy named (the table's, its stream's),
     * written conditional on the revision read, then the quarantine tag. Nothing is deleted.
     */
    record Quarantine(List<PolicyCut> policies, String tagValue) implements Remedy {
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
                    + " to the resource policy of " + policies.stream().map(PolicyCut::resourceArn)
                    .collect(Collectors.joining(" and ")) + ", and tagged it " + QuarantineStatement.TAG_KEY + ".";
        }

        /** The tag first: once the statement stands it refuses whoever wrote it, unless that one is spared. */
        @Override
        public String manualStep(TableRef table) {
            return "aws dynamodb tag-resource --region " + table.region() + " --resource-arn " + table.arn()
                    + " --tags Key=" + QuarantineStatement.TAG_KEY + ",Value=quarantined\n    "
                    + policies.stream().map(PolicyCut::manualStep).collect(Collectors.joining("\n    "));
        }
    }

    /** Remove the replicas of a global table (version 2019.11.21) that live in forbidden regions. */
    record RemoveReplicas(List<String> regions) implements Remedy {
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
