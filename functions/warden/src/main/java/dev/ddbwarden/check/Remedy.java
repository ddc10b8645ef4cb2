package dev.ddbwarden.check;

import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;

import java.util.List;
import java.util.Optional;

/**
 * What a finding asks to be done, as data: checks stay pure, and one Fix per remedy makes the call. Each
 * rule's remedies are the records of one sealed interface in the rule's package ({@code Rule.remedies()}),
 * so the set stays closed per rule; RulesTest holds every one of them to a fix of the same rule.
 */
public interface Remedy {

    /** Whether the remedy changes the table, and so needs it settled (not CREATING or UPDATING). */
    boolean changesTable();

    /** What ddb-warden did, in the past tense, for the alert. */
    String done();

    /** What a person should run to do it by hand (notify mode, or when ddb-warden gave up). */
    String manualStep(TableRef table);

    /**
     * Whether this remedy is routine bookkeeping rather than the repair of a violation (a new table's creator tags): once
     * applied as the whole response to a LOW finding, the ledger records it, alert text included, and nothing is
     * published. Decided by the rule's own code, never by what a principal wrote; a remedy not applied (notify mode,
     * a refused or interrupted fix) is alerted as any other.
     */
    default boolean routine() {
        return false;
    }

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

        public String done() {
            return rewritten.isPresent()
                    ? "Removed " + removed.size() + " statement(s) from the resource policy of " + resourceArn
                            + " and kept the rest (PutResourcePolicy on revision " + revisionId + ")."
                    : "Deleted the resource policy of " + resourceArn + ": no statement would have remained"
                            + " (DeleteResourcePolicy on revision " + revisionId + ").";
        }

        /** Ends with the resource's own region: the CLI's default region may be another, where the ARN names nothing. */
        public String manualStep() {
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

}
