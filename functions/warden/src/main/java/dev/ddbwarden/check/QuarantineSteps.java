package dev.ddbwarden.check;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a person does with a table in a forbidden region: release it, move its data, delete it, or break the
 * glass. Each way is a paragraph that starts with "To " and works alone, from the quarantined table, as the
 * principal the text names ({@link QuarantineRelease}): with no security role exempt, that is the root user, whose
 * only way in is deleting the policy, so each way starts there.
 */
public final class QuarantineSteps {
    private QuarantineSteps() {
    }

    /** The steps for a table ddb-warden quarantines (or has quarantined) under these settings. */
    public static String forTable(TableRef table, TableState state, Settings settings) {
        QuarantineRelease release = QuarantineRelease.of(table, settings.quarantineExemptPrincipals());
        ResourcePolicies policies = state.augment(ResourcePolicies.class).orElse(ResourcePolicies.NONE);
        String at = " --region " + table.region();
        List<String> unlock = new ArrayList<>();
        unlock.add("    aws dynamodb delete-resource-policy --resource-arn " + table.arn() + at);
        if (!policies.streamArn().isEmpty()) {
            unlock.add("    aws dynamodb delete-resource-policy --resource-arn " + policies.streamArn() + at);
        }
        List<String> first = release.rootOnly() ? unlock : List.of();
        List<String> lines = new ArrayList<>();
        lines.add("The quarantine statement " + QuarantineStatement.SID + " denies dynamodb:* on the table, its indexes"
                + " and its stream to everyone but ddb-warden's roles (/ddb-warden/), the security roles in"
                + " QuarantineExemptPrincipals " + settings.quarantineExemptPrincipals()
                + " and AWS service-linked roles. Nothing was deleted.");
        lines.add("");
        lines.add(release.rootOnly()
                ? "Who can act on it: " + release.principalArn() + ", the account's root user, alone."
                        + " QuarantineExemptPrincipals is empty, so the statement spares no role a person can use;"
                        + " DynamoDB still lets the root user delete a resource policy that denies it, and nothing"
                        + " more, so every way below starts by deleting the quarantine policies. To act as it: "
                        + release.actAs() + ". If scp/deny-resource-policy-changes.json applies to this account it"
                        + " refuses the root user too (an SCP binds a member account's root user): exempt "
                        + release.principalArn() + " in it from the management account first. To spare a security"
                        + " role in later quarantines, list it in QuarantineExemptPrincipals and redeploy."
                : "Who can act on it: " + release.principalArn() + ", the first security role in"
                        + " QuarantineExemptPrincipals, which the statement spares. To act as it: " + release.actAs() + ".");
        lines.add("");
        lines.add("To release the table (if its region becomes allowed), as " + release.principalArn()
                + ": delete the quarantine policies, put back the previous ones quoted below (if there were any,"
                + " saved as the files the commands name), then remove the tag:");
        lines.addAll(unlock);
        previous(policies.table()).ifPresent(policy -> lines.add("    aws dynamodb put-resource-policy"
                + " --resource-arn " + table.arn() + at + " --policy file://previous-table-policy.json"));
        previous(policies.stream()).ifPresent(policy -> lines.add("    aws dynamodb put-resource-policy"
                + " --resource-arn " + policies.streamArn() + at + " --policy file://previous-stream-policy.json"));
        lines.add("    aws dynamodb untag-resource --resource-arn " + table.arn() + " --tag-keys "
                + QuarantineStatement.TAG_KEY + at);
        lines.add("To move its data to an allowed region, as " + release.principalArn() + ": export it to a bucket in an"
                + " allowed region, then import it there (the export needs point-in-time recovery):");
        lines.addAll(first);
        lines.addAll(moveAndDelete(table).subList(0, 3));
        lines.add("To delete it if it holds nothing of value, as " + release.principalArn()
                + ": turn deletion protection off and delete:");
        lines.addAll(first);
        lines.addAll(moveAndDelete(table).subList(3, 5));
        lines.add("To break the glass if ddb-warden is gone: " + release.principalArn()
                + " (or the account's root user) deletes the policies:");
        lines.addAll(unlock);
        lines.add("");
        lines.add("The previous policies, kept in the ledger too:");
        lines.add("    table: " + quoted(policies.table(), "the table"));
        if (!policies.streamArn().isEmpty()) {
            lines.add("    stream: " + quoted(policies.stream(), "the stream"));
        }
        return String.join("\n", lines);
    }

    /** The steps for a table in a forbidden region that carries no quarantine statement (exempt, or unreadable). */
    public static String forUnquarantined(TableRef table) {
        List<String> lines = new ArrayList<>();
        lines.add("No quarantine statement stands in the way: whoever your IAM policies allow runs these.");
        lines.add("To move its data to an allowed region: export it to a bucket in an allowed region, then import"
                + " it there (the export needs point-in-time recovery):");
        lines.addAll(moveAndDelete(table).subList(0, 3));
        lines.add("To delete it if it holds nothing of value: turn deletion protection off and delete:");
        lines.addAll(moveAndDelete(table).subList(3, 5));
        return String.join("\n", lines);
    }

    private static List<String> moveAndDelete(TableRef table) {
        String at = " --region " + table.region();
        return List.of(
                "    aws dynamodb update-continuous-backups --table-name " + table.name() + at
                        + " --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true",
                "    aws dynamodb export-table-to-point-in-time --table-arn " + table.arn() + at
                        + " --s3-bucket BUCKET_IN_AN_ALLOWED_REGION",
                "    aws dynamodb import-table --region ALLOWED_REGION --s3-bucket-source S3Bucket=BUCKET_IN_AN_ALLOWED_REGION"
                        + " --input-format DYNAMODB_JSON --table-creation-parameters ...",
                "    aws dynamodb update-table --table-name " + table.name() + " --no-deletion-protection-enabled" + at,
                "    aws dynamodb delete-table --table-name " + table.name() + at);
    }

    /** The policy that was there before the quarantine; one holding the statement already is not put back. */
    private static Optional<String> previous(Optional<ResourcePolicy> policy) {
        return policy.filter(p -> !QuarantineStatement.isIn(p.document())).map(p -> Excerpt.block(p.document()));
    }

    private static String quoted(Optional<ResourcePolicy> policy, String what) {
        if (policy.isEmpty()) {
            return "(none: " + what + " had no policy)";
        }
        return previous(policy).orElse("(" + what + " was quarantined already: its earlier policy is in the ledger's"
                + " entry for that quarantine)");
    }
}
