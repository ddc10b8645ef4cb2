package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** AWS Backup's restore job events, read as the call that created a table, or set aside with a reason. */
class BackupRestoreParserTest {
    private static final String COMPLETED = "backup-restore-completed.json";
    private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/payments-restored";

    /** The completed restore of events/, with another status and created resource. */
    private static ObjectNode restoreJob(String status, String createdResourceArn) {
        ObjectNode event = TestEvents.sample(COMPLETED);
        ((ObjectNode) event.get("detail")).put("status", status).put("createdResourceArn", createdResourceArn);
        return event;
    }

    @Test
    void parse_shouldReadACompletedJob_asTheCallThatMadeItsTable() {
        Parsed parsed = ApiCallParser.parse(TestEvents.sample(COMPLETED));

        ApiCall call = ((Parsed.Call) parsed).call();
        assertThat(call.eventName()).isEqualTo(ApiCall.BACKUP_RESTORE);
        assertThat(call.eventId()).isEqualTo("backup-restore-8F1E3C5A-2B4D-4E6F-9A0B-1C2D3E4F5A61");
        assertThat(call.eventSource()).isEqualTo("backup.amazonaws.com");
        assertThat(call.region()).isEqualTo("us-east-1");
        assertThat(call.accountId()).isEqualTo("123456789012");
        assertThat(call.eventTime()).contains(Instant.parse("2024-05-14T17:02:11Z"));
        assertThat(call.failed()).isFalse();
        assertThat(TableLocator.locate(call)).contains(new TableRef("aws", "us-east-1", "123456789012", "payments-restored"));
    }

    /** The event does not say who started the job: nobody it names can be an approved principal. */
    @Test
    void parse_shouldNameAwsBackupAsTheActor_neverAPrincipal() {
        ApiCall call = ((Parsed.Call) ApiCallParser.parse(TestEvents.sample(COMPLETED))).call();

        assertThat(call.actor().principalArn()).isEmpty();
        assertThat(call.actor().describe()).isEqualTo("backup.amazonaws.com (AWSService)");
    }

    @Test
    void parse_shouldTakeTheRegionFromTheTablesArn_notTheEnvelope() {
        ObjectNode event = restoreJob("COMPLETED", "arn:aws:dynamodb:ap-southeast-2:123456789012:table/payments-sydney");

        ApiCall call = ((Parsed.Call) ApiCallParser.parse(event)).call();

        assertThat(event.path("region").asText()).isEqualTo("us-east-1");
        assertThat(call.region()).isEqualTo("ap-southeast-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup-restore-running.json", "backup-restore-ebs-volume.json"})
    void parse_shouldSetAside_theSamplesNoRuleTakes(String file) {
        assertThat(ApiCallParser.parse(TestEvents.sample(file))).isInstanceOf(Parsed.Rejected.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RUNNING", "PENDING", "FAILED", "ABORTED", ""})
    void parse_shouldSetAside_aJobThatHasNotCompleted(String status) {
        Parsed parsed = ApiCallParser.parse(restoreJob(status, TABLE_ARN));

        assertThat(parsed).isInstanceOf(Parsed.Rejected.class);
        assertThat(((Parsed.Rejected) parsed).reason()).contains("only a COMPLETED job");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "payments-restored", "arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc",
            "arn:aws:dynamodb:us-east-1:123456789012:table/payments-restored/stream/2024-05-14T17:02:11.000"})
    void parse_shouldSetAside_aCreatedResourceThatIsNoTable(String created) {
        Parsed parsed = ApiCallParser.parse(restoreJob("COMPLETED", created));

        assertThat(parsed).isInstanceOf(Parsed.Rejected.class);
        assertThat(((Parsed.Rejected) parsed).reason()).contains("not the ARN of a DynamoDB table");
    }

    /** Only AWS services put events with an aws. source; any other source with this detail-type is not AWS Backup. */
    @Test
    void parse_shouldSetAside_theDetailTypeFromAnotherSource() {
        ObjectNode event = restoreJob("COMPLETED", TABLE_ARN).put("source", "custom.backup");

        assertThat(ApiCallParser.parse(event)).isInstanceOf(Parsed.Rejected.class);
    }

    @Test
    void parse_shouldSetAside_aJobWithoutAnId() {
        ObjectNode event = restoreJob("COMPLETED", TABLE_ARN);
        ((ObjectNode) event.get("detail")).remove("restoreJobId");

        assertThat(ApiCallParser.parse(event)).isInstanceOf(Parsed.Rejected.class);
    }
}
