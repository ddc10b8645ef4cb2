package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.TableRef;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The table-key rule's decision on one call and the key's live state, with its alert texts: pure, so every case is
 * tested without KMS.
 *
 * @param trusted whether a security role or an approved principal made the call (LOW, no fix)
 * @param when    when the call was made, from which DynamoDB's seven days are counted when it has not said more
 */
record TableKeyFindings(ApiCall call, TableRef table, KeyState key, boolean trusted, Instant when) {
    /** DynamoDB archives a table whose key stays inaccessible for more than this (API_SSEDescription). */
    static final Duration ARCHIVE_AFTER = Duration.ofDays(7);
    private static final String DOC = "docs/table-key.md";

    Optional<Finding> decide() {
        if (key.refused().isPresent() && call.isSweep()) {
            // Said when a KMS call on the key arrives; every sweep saying it again would bury the alerts that matter.
            return Optional.empty();
        }
        if (key.refused().isPresent()) {
            return Optional.of(finding(Severity.CRITICAL, "key unreadable", "KMS refused to let ddb-warden read key "
                    + key.keyArn() + " of " + tables() + " (" + Excerpt.line(key.refused().get()) + ") after "
                    + callText() + ". ddb-warden cannot tell whether the key still serves its tables, nor restore it.",
                    new Remedy.AlertOnly("Add the key-policy statement in " + DOC + " to key " + key.keyArn()
                            + ", then check the key's state with aws kms describe-key --key-id " + key.keyArn())));
        }
        if (TableKeyRule.GRANT_CALLS.contains(call.eventName())) {
            List<String> lost = key.ungranted();
            return lost.isEmpty() ? Optional.empty() : Optional.of(reported("grant for DynamoDB removed",
                    callText() + " removed the KMS grant DynamoDB holds on key " + key.keyArn() + " for table(s) "
                            + String.join(", ", lost) + ". Without it DynamoDB cannot use the key: the table(s) become"
                            + " inaccessible and are archived after more than seven days. " + deadline(),
                    "Re-create access for DynamoDB: an UpdateTable on each table with its own key "
                            + "(aws dynamodb update-table --table-name TABLE --sse-specification Enabled=true,SSEType=KMS,"
                            + "KMSMasterKeyId=" + key.keyArn() + ") makes DynamoDB create its grant again, by a principal"
                            + " that may call kms:CreateGrant on the key."));
        }
        return switch (call.eventName()) {
            case TableKeyRule.PUT_KEY_POLICY -> key.policyDenial().map(statement -> reported("key policy denies DynamoDB",
                    callText() + " gave key " + key.keyArn() + " a policy that denies DynamoDB the key: " + statement
                            + ". An explicit deny in the key policy overrides DynamoDB's grants, so " + tables()
                            + " become inaccessible and are archived after more than seven days. " + deadline(),
                    "Put the key's previous policy back (aws kms put-key-policy --key-id " + key.keyArn()
                            + " --policy-name default --policy file://previous.json); CloudTrail's earlier PutKeyPolicy"
                            + " or CreateKey records hold it."));
            case TableKeyRule.DELETE_IMPORTED_KEY_MATERIAL -> KeyState.PENDING_IMPORT.equals(key.keyState())
                    ? Optional.of(reported("imported key material deleted", callText() + " deleted the imported key material"
                            + " of key " + key.keyArn() + ": " + tables() + " cannot be read until the same material is"
                            + " imported again. " + deadline(), "Import the same key material again (aws kms import-key-material"
                            + " --key-id " + key.keyArn() + "); material other than the original cannot decrypt the tables."))
                    : Optional.empty();
            default -> keyUnusable();
        };
    }

    /** DisableKey, ScheduleKeyDeletion, or the sweep: a key that cannot serve its tables now. */
    private Optional<Finding> keyUnusable() {
        if (key.restorable()) {
            TableKeyRemedy.RestoreKey restore = new TableKeyRemedy.RestoreKey(key.keyArn());
            String what = KeyState.PENDING_DELETION.equals(key.keyState())
                    ? "is scheduled for deletion on " + key.deletionDate().map(Instant::toString).orElse("a date KMS did not say")
                            + " (after deletion nothing encrypted under it can ever be decrypted)"
                    : "is disabled";
            String detail = "KMS key " + key.keyArn() + ", which encrypts " + tables() + ", " + what + " after " + callText()
                    + ". DynamoDB cannot read or write a table whose key it cannot use, and archives it after more than"
                    + " seven days. " + deadline();
            if (trusted) {
                return Optional.of(finding(Severity.LOW, "key of DynamoDB tables disabled by a trusted principal", detail
                        + " The caller is a security role or an approved principal: ddb-warden leaves the key as it is.",
                        new Remedy.AlertOnly(restore.manualStep(table))));
            }
            return Optional.of(finding(Severity.CRITICAL, KeyState.PENDING_DELETION.equals(key.keyState())
                    ? "key of DynamoDB tables scheduled for deletion" : "key of DynamoDB tables disabled", detail, restore));
        }
        if (KeyState.ENABLED.equals(key.keyState())) {
            return Optional.empty();
        }
        return Optional.of(finding(Severity.CRITICAL, "key of DynamoDB tables unusable", "KMS key " + key.keyArn()
                + ", which encrypts " + tables() + ", is " + key.keyState() + " (found after " + callText() + "). "
                + "CancelKeyDeletion and EnableKey cannot restore a key in that state. " + deadline(),
                new Remedy.AlertOnly("See the key's state with aws kms describe-key --key-id " + key.keyArn()
                        + " and the AWS KMS guide's 'Key states of AWS KMS keys'.")));
    }

    /** An alert-only finding: CRITICAL, or LOW for a trusted caller. */
    private Finding reported(String title, String detail, String advice) {
        return trusted
                ? finding(Severity.LOW, title + " by a trusted principal", detail
                        + " The caller is a security role or an approved principal.", new Remedy.AlertOnly(advice))
                : finding(Severity.CRITICAL, title, detail, new Remedy.AlertOnly(advice));
    }

    private Finding finding(Severity severity, String title, String detail, Remedy remedy) {
        return new Finding(TableKeyRule.RULE, severity, table, title, detail, remedy);
    }

    /** The first moment DynamoDB may archive the tables, or KMS delete the key, whichever comes first. */
    String deadline() {
        Instant archive = key.inaccessibleSince().orElse(when).plus(ARCHIVE_AFTER).truncatedTo(ChronoUnit.SECONDS);
        String text = "Deadline: DynamoDB may archive the table(s) after " + archive + " (seven days after "
                + (key.inaccessibleSince().isPresent() ? "DynamoDB found the key inaccessible" : "the call") + ").";
        Optional<Instant> deletion = key.deletionDate().filter(d -> d.isBefore(archive));
        return deletion.map(d -> text + " KMS deletes the key earlier, at " + d + ".").orElse(text);
    }

    private String tables() {
        List<String> names = key.tables().isEmpty() ? List.of(table.name()) : key.tables();
        return names.size() + " DynamoDB table(s) in " + table.region() + " (" + String.join(", ", names)
                + key.cutShort().map(cut -> "; " + cut.describe()).orElse("") + ")";
    }

    private String callText() {
        return call.isSweep() ? "the sweep's look"
                : Excerpt.line(call.eventName()) + " by " + call.actor().describe();
    }
}
