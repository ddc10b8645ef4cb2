package dev.ddbwarden.rules.deletionprotection;

import dev.ddbwarden.RuleFixes;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.Replicas;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.TagResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The deletion-protection rule's fixes, on mocked clients: each answer DynamoDB can give is set up here. */
class DeletionProtectionFixesTest {
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final TableState UNPROTECTED = read("ACTIVE", false, Map.of());
    private static final TableState PROTECTED = read("ACTIVE", true, Map.of());
    private static final Instant UNTIL = Instant.parse("2024-05-02T12:00:00Z");

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);

    /** The table as this rule's function reads it: with its protection and its replicas (none). */
    private static TableState read(String status, boolean protection, Map<String, String> tags) {
        return new TableState(ORDERS, status, tags).withAugment(DeletionProtection.class, new DeletionProtection(protection))
                .withAugment(Replicas.class, new Replicas(List.of()));
    }
    private final Fixes fixes = RuleFixes.of(new DeletionProtectionRule(), RegionalDynamo.single(dynamo));

    @Test
    void apply_shouldSendUpdateTableByArn_whenProtectionIsOff() {
        // GIVEN
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());

        // WHEN
        Outcome outcome = fixes.apply(new DeletionProtectionRemedy.EnableDeletionProtection(), UNPROTECTED);

        // THEN
        ArgumentCaptor<UpdateTableRequest> request = ArgumentCaptor.forClass(UpdateTableRequest.class);
        verify(dynamo).updateTable(request.capture());
        assertThat(request.getValue()).isEqualTo(UpdateTableRequest.builder()
                .tableName("arn:aws:dynamodb:us-east-1:123456789012:table/orders").deletionProtectionEnabled(true).build());
        assertThat(outcome).isEqualTo(new Outcome(Outcome.Action.FIXED, new DeletionProtectionRemedy.EnableDeletionProtection().done()));
        assertThat(outcome.changedTable()).isTrue();
    }

    @Test
    void apply_shouldReportTheStateAfterFromUpdateTablesAnswer_whenItDescribesTheTable() {
        // GIVEN a tagged table; UpdateTable answers with the table's description, as DynamoDB does
        TableState read = UNPROTECTED.withTag("team", "payments");
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder()
                .tableDescription(t -> t.tableArn(ORDERS.arn()).tableStatus("UPDATING").deletionProtectionEnabled(true))
                .build());

        // WHEN
        Outcome outcome = fixes.apply(new DeletionProtectionRemedy.EnableDeletionProtection(), read);

        // THEN the answer's status and protection, the tags as read (UpdateTable does not change them)
        assertThat(outcome.after()).contains(read("UPDATING", true, Map.of("team", "payments")));
    }

    @Test
    void apply_shouldNotClaimAStateAfter_whenUpdateTablesAnswerLacksTheProtectionFlag() {
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder()
                .tableDescription(t -> t.tableArn(ORDERS.arn()).tableStatus("ACTIVE")).build());

        Outcome outcome = fixes.apply(new DeletionProtectionRemedy.EnableDeletionProtection(), UNPROTECTED);

        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.after()).isEmpty();
    }

    @Test
    void apply_shouldMakeNoCall_whenProtectionIsAlreadyOn() {
        Outcome outcome = fixes.apply(new DeletionProtectionRemedy.EnableDeletionProtection(), PROTECTED);

        assertThat(outcome.action()).isEqualTo(Outcome.Action.ALREADY_COMPLIANT);
        assertThat(outcome.changedTable()).isFalse();
        verifyNoInteractions(dynamo);
    }

    @Test
    void apply_shouldReportTableGone_whenUpdateTableSaysNotFound() {
        when(dynamo.updateTable(any(UpdateTableRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("Table not found").build());

        Outcome outcome = fixes.apply(new DeletionProtectionRemedy.EnableDeletionProtection(), UNPROTECTED);

        assertThat(outcome.action()).isEqualTo(Outcome.Action.TABLE_GONE);
        assertThat(outcome.changedTable()).isFalse();
    }

    @Test
    void apply_shouldPropagate_whenUpdateTableIsThrottled() {
        // GIVEN an error Lambda should retry
        DynamoDbException throttled = (DynamoDbException) DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenThrow(throttled);

        // WHEN / THEN
        assertThatThrownBy(() -> fixes.apply(new DeletionProtectionRemedy.EnableDeletionProtection(), UNPROTECTED)).isSameAs(throttled);
    }

    @Test
    void apply_shouldTagWithExpiry_whenRemedyIsMarkDecommission() {
        // GIVEN
        when(dynamo.tagResource(any(TagResourceRequest.class))).thenReturn(TagResourceResponse.builder().build());

        // WHEN
        Outcome outcome = fixes.apply(new DeletionProtectionRemedy.MarkDecommission(UNTIL), UNPROTECTED);

        // THEN
        ArgumentCaptor<TagResourceRequest> request = ArgumentCaptor.forClass(TagResourceRequest.class);
        verify(dynamo).tagResource(request.capture());
        assertThat(request.getValue()).isEqualTo(TagResourceRequest.builder().resourceArn(ORDERS.arn())
                .tags(Tag.builder().key("ddb-warden:decommission").value("2024-05-02T12:00:00Z").build()).build());
        assertThat(Decommission.TAG_KEY).isEqualTo("ddb-warden:decommission");
        assertThat(outcome.action()).isEqualTo(Outcome.Action.TAGGED);
        assertThat(outcome.description()).contains("2024-05-02T12:00:00Z");
        assertThat(outcome.after()).map(TableState::tags).contains(Map.of("ddb-warden:decommission", "2024-05-02T12:00:00Z"));
    }

    @Test
    void apply_shouldReportTableGone_whenTagResourceSaysNotFound() {
        when(dynamo.tagResource(any(TagResourceRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("gone").build());

        assertThat(fixes.apply(new DeletionProtectionRemedy.MarkDecommission(UNTIL), UNPROTECTED).action())
                .isEqualTo(Outcome.Action.TABLE_GONE);
    }

    @Test
    void apply_shouldOnlyAlert_whenRemedyIsAlertOnly() {
        Outcome outcome = fixes.apply(new Remedy.AlertOnly("Restore from backup."), UNPROTECTED);

        assertThat(outcome.action()).isEqualTo(Outcome.Action.ALERTED);
        verifyNoInteractions(dynamo);
    }
}
