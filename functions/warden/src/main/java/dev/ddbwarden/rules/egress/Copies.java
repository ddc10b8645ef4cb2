package dev.ddbwarden.rules.egress;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.policy.Trust;
import dev.ddbwarden.rules.SharedSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The egress rule's checks of copies that cannot be taken back once made: an export to S3 and an import from
 * it. Pure: the bucket's region is what S3 said ({@link ExportBucket}), the rest is the recorded request.
 */
final class Copies {
    private static final String KMS = "KMS";
    static final String START_COPY_JOB = "StartCopyJob";
    /** A backup vault's ARN: its region is the fourth field. */
    static final Pattern VAULT = Pattern.compile("arn:aws[a-z-]*:backup:([a-z0-9-]{1,32}):(\\d{12}):backup-vault:.+");

    private Copies() {
    }

    /**
     * An export to a bucket outside ALLOWED_REGIONS (HIGH) or whose region S3 would not tell (MEDIUM), and one
     * without SSE-KMS when REQUIRE_CMK is true (MEDIUM): one finding with every reason, at the worst severity.
     */
    static List<Finding> export(ApiCall call, TableRef table, Optional<ExportBucket> place, Settings settings) {
        String bucket = Excerpt.line(call.request("s3Bucket"));
        String target = "s3://" + bucket + "/" + Excerpt.line(call.request("s3Prefix"));
        List<String> reasons = new ArrayList<>();
        Severity severity = null;
        String title = null;
        Optional<String> region = place.flatMap(ExportBucket::region);
        if (region.isPresent() && !settings.allowedRegions().contains(region.get())) {
            severity = Severity.HIGH;
            title = "export to a bucket outside the allowed regions";
            reasons.add("The bucket is in " + Excerpt.line(region.get()) + ", outside ALLOWED_REGIONS ("
                    + String.join(", ", settings.allowedRegions()) + "): data residency covers copies too.");
        } else if (region.isEmpty()) {
            severity = Severity.MEDIUM;
            title = "export to a bucket in a region unknown";
            reasons.add("The bucket's region: region unknown (" + place.map(ExportBucket::unknown).orElse("S3 was not asked")
                    + "); ddb-warden cannot tell whether the copy stays in ALLOWED_REGIONS ("
                    + String.join(", ", settings.allowedRegions()) + ").");
        }
        if (SharedSettings.REQUIRE_CMK.in(settings) && !KMS.equals(call.request("s3SseAlgorithm"))) {
            String sse = call.request("s3SseAlgorithm");
            reasons.add("The export is not encrypted with a KMS key (S3SseAlgorithm " + (sse.isEmpty() ? "not given: the bucket's"
                    + " default encryption applies" : Excerpt.line(sse)) + "), and REQUIRE_CMK is true.");
            severity = severity == null ? Severity.MEDIUM : severity;
            title = title == null ? "export without a customer managed key" : title;
        }
        if (reasons.isEmpty()) {
            return List.of();
        }
        return List.of(new Finding(EgressRule.RULE, severity, table, title, "Table " + table.name() + " is being exported to "
                + target + " by " + call.actor().describe() + ". " + String.join(" ", reasons)
                + " An export cannot be taken back: the copy is the bucket owner's to delete.",
                new Remedy.AlertOnly("Find out whether the export was authorised; if not, have the owner of bucket " + bucket
                        + " delete " + target + " (aws s3 rm --recursive " + target + "), and export again to a bucket"
                        + " in an allowed region, encrypted with a customer managed key (--s3-sse-algorithm KMS"
                        + " --s3-sse-kms-key-id KEY) where REQUIRE_CMK asks for one.")));
    }

    /**
     * An AWS Backup copy of the table's backup to a vault outside ALLOWED_REGIONS (HIGH), or to a vault the request
     * does not name by ARN (MEDIUM: its region is unknown).
     */
    static List<Finding> copyJob(ApiCall call, TableRef table, Settings settings) {
        String vault = Excerpt.line(call.request("destinationBackupVaultArn"));
        Matcher arn = VAULT.matcher(vault);
        String what = "AWS Backup is copying " + Excerpt.line(call.request("recoveryPointArn")) + ", a backup of table "
                + table.name() + ", to vault " + vault + ", at the request of " + call.actor().describe() + ". ";
        Remedy advice = new Remedy.AlertOnly("Find out whether the copy was authorised; if not, have the owner of vault "
                + vault + " delete the copied recovery point once the job ends (aws backup list-copy-jobs, then"
                + " delete-recovery-point in the vault's region).");
        if (!arn.matches()) {
            return List.of(new Finding(EgressRule.RULE, Severity.MEDIUM, table, "backup copy to a vault in a region unknown",
                    what + "The destination is not a vault ARN: region unknown, so ddb-warden cannot tell whether the copy"
                            + " stays in ALLOWED_REGIONS (" + String.join(", ", settings.allowedRegions()) + ").", advice));
        }
        if (settings.allowedRegions().contains(arn.group(1))) {
            return List.of();
        }
        return List.of(new Finding(EgressRule.RULE, Severity.HIGH, table, "backup copy to a vault outside the allowed regions",
                what + "The vault is in " + arn.group(1) + ", outside ALLOWED_REGIONS ("
                        + String.join(", ", settings.allowedRegions()) + "): data residency covers copies too.", advice));
    }

    /** An import from a bucket of an account that is neither the table's nor trusted (MEDIUM). */
    static List<Finding> importFrom(ApiCall call, TableRef table, Settings settings) {
        String owner = call.request("s3BucketSource", "s3BucketOwner");
        Trust trust = new Trust(table.accountId(), settings.trustedAccounts(), settings.trustedOrgIds());
        if (owner.isEmpty() || trust.trustsAccount(owner)) {
            return List.of();
        }
        String source = "s3://" + Excerpt.line(call.request("s3BucketSource", "s3Bucket")) + "/"
                + Excerpt.line(call.request("s3BucketSource", "s3KeyPrefix"));
        return List.of(new Finding(EgressRule.RULE, Severity.MEDIUM, table, "import from an untrusted account's bucket",
                "Table " + table.name() + " is being created by " + call.actor().describe() + " from " + source
                        + ", a bucket owned by account " + Excerpt.line(owner) + ", which is neither this account nor a"
                        + " trusted one: that account chose every item the table starts with.",
                new Remedy.AlertOnly("Find out whether the import was authorised and check the table's items before"
                        + " anything reads them; add account " + Excerpt.line(owner) + " to TrustedAccounts if it is"
                        + " trusted.")));
    }
}
