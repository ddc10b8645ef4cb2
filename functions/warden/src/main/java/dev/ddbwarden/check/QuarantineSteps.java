package dev.ddbwarden.check;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.TableState;

/** What a person does with a quarantined table: release it, move its data, delete it, or break the glass. */
final class QuarantineSteps {
    private QuarantineSteps() {
    }

    static String forTable(TableRef table, TableState state, Settings settings) {
        String at = " --region " + table.region();
        String previous = state.tablePolicy().map(policy -> Excerpt.block(policy.document()))
                .orElse("(none: the table had no policy)");
        return String.join("\n",
                "The quarantine statement " + QuarantineStatement.SID + " denies dynamodb:* on the table, its indexes and"
                        + " its stream to everyone but ddb-warden's roles (/ddb-warden/), the security roles in"
                        + " QuarantineExemptPrincipals " + settings.quarantineExemptPrincipals()
                        + " and AWS service-linked roles. Nothing was deleted.",
                "",
                "To release the table (if its region becomes allowed): from a security role, put back the previous"
                        + " policy quoted below, or delete the policy if it had none, then remove the tag:",
                "    aws dynamodb delete-resource-policy --resource-arn " + table.arn() + at,
                "    aws dynamodb untag-resource --resource-arn " + table.arn() + " --tag-keys " + QuarantineStatement.TAG_KEY + at,
                "To move its data to an allowed region: from a security role, export it to a bucket in an allowed"
                        + " region, then import it there (the export needs point-in-time recovery):",
                "    aws dynamodb update-continuous-backups --table-name " + table.name() + at
                        + " --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true",
                "    aws dynamodb export-table-to-point-in-time --table-arn " + table.arn() + at
                        + " --s3-bucket BUCKET_IN_AN_ALLOWED_REGION",
                "    aws dynamodb import-table --region ALLOWED_REGION --s3-bucket-source S3Bucket=BUCKET_IN_AN_ALLOWED_REGION"
                        + " --input-format DYNAMODB_JSON --table-creation-parameters ...",
                "To delete it if it holds nothing of value: from a security role, turn deletion protection off and delete:",
                "    aws dynamodb update-table --table-name " + table.name() + " --no-deletion-protection-enabled" + at,
                "    aws dynamodb delete-table --table-name " + table.name() + at,
                "Break-glass, if ddb-warden is gone: a security role in QuarantineExemptPrincipals, or the account's"
                        + " root user, deletes the policy with the delete-resource-policy command above.",
                "",
                "The previous policy, kept in the ledger too:",
                "    " + previous);
    }
}
