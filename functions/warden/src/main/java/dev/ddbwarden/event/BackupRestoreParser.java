package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * AWS Backup's "Restore Job State Change" event, read as the call that made a table. A restore from an AWS
 * Backup recovery point (advanced features, {@code arn:aws:backup:...}) creates the table without a
 * RestoreTableFromBackup record; the one record that reliably names the new table is this event in state
 * COMPLETED, whose {@code createdResourceArn} is the table's ARN. Only AWS services may put events with an
 * {@code aws.} source on a bus, so the source is checked; the rest is untrusted like any record, and the
 * checks re-read the live table all the same.
 *
 * <p>The actor is AWS Backup: the event does not say who started the job (CloudTrail's StartRestoreJob does),
 * so no approved-principal exemption can ever apply to it.
 */
final class BackupRestoreParser {
    /** The detail-type of AWS Backup's restore job events. */
    static final String DETAIL_TYPE = "Restore Job State Change";
    private static final String SOURCE = "aws.backup";
    private static final String COMPLETED = "COMPLETED";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final int MAX_ID_LENGTH = 128;
    /** Who made the table, as far as the event can say. */
    static final Actor AWS_BACKUP = new Actor("AWSService", "", "", "", "", "backup.amazonaws.com");

    private BackupRestoreParser() {
    }

    static Parsed parse(JsonNode envelope) {
        String source = Json.text(envelope, "source");
        if (!SOURCE.equals(source)) {
            return rejected("a '" + DETAIL_TYPE + "' event from source " + Excerpt.quoted(source) + ", not '" + SOURCE + "'");
        }
        JsonNode detail = envelope.get("detail");
        if (detail == null || !detail.isObject()) {
            return rejected("the restore job event has no 'detail'");
        }
        String status = Json.text(detail, "status");
        if (!COMPLETED.equals(status)) {
            return rejected("the restore job's status is " + Excerpt.quoted(status) + ": only a COMPLETED job has made a table");
        }
        String jobId = Json.text(detail, "restoreJobId");
        if (jobId.isEmpty() || jobId.length() > MAX_ID_LENGTH) {
            return rejected("detail.restoreJobId is missing or not a short string");
        }
        String account = Json.text(envelope, "account");
        if (!ACCOUNT.matcher(account).matches()) {
            return rejected("the restore job event's account is not a 12-digit account ID");
        }
        String created = Json.text(detail, "createdResourceArn");
        Optional<TableRef> table = created.startsWith("arn:") ? TableRef.parse(created, "", account) : Optional.empty();
        if (table.isEmpty() || !table.get().arn().equals(created)) {
            return rejected("detail.createdResourceArn " + Excerpt.quoted(created) + " is not the ARN of a DynamoDB table");
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode()
                .put("tableName", created)
                .put("restoreJobId", jobId)
                .put("recoveryPointArn", Json.text(detail, "recoveryPointArn"));
        // The job ID is unique per job and the same in a re-delivered event: the ledger's idempotency key.
        return new Parsed.Call(new ApiCall("backup-restore-" + jobId, ApiCall.BACKUP_RESTORE, "backup.amazonaws.com",
                EventTime.parse(Json.text(envelope, "time")), table.get().region(), account, AWS_BACKUP, "", "",
                request, JsonNodeFactory.instance.objectNode(), List.of(created), "", ""));
    }

    private static Parsed rejected(String reason) {
        return new Parsed.Rejected(reason);
    }
}
