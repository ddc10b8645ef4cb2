package dev.ddbwarden.fix;

import dev.ddbwarden.RuleFixes;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.publicaccess.PublicAccessRemedy;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.ddbwarden.TestPolicies.EVERYONE;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.STREAM_TO_STRANGER;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Taking leaking statements back, through the registry as the pipeline calls it. moto_server cannot hold
 * stream policies and never refuses a policy update within 15 seconds, so those answers are modelled
 * here with a mocked client.
 */
class RemovePolicyStatementsFixTest {
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final String STREAM = ORDERS.arn() + "/stream/2024-05-01T12:00:00.000";
    private static final TableState STATE = new TableState(ORDERS, "ACTIVE", Map.of())
            .withAugment(ResourcePolicies.class, new ResourcePolicies(Optional.empty(), STREAM, Optional.empty()));
    private static final Remedy.PolicyCut TABLE_CUT =
            new Remedy.PolicyCut(ORDERS.arn(), "t-1", Optional.of(policy(OWN_ROLE)), List.of(EVERYONE));
    private static final Remedy.PolicyCut STREAM_DELETE =
            new Remedy.PolicyCut(STREAM, "s-1", Optional.empty(), List.of(STREAM_TO_STRANGER));

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final Fixes fixes = RuleFixes.of(new PublicAccessRule(), RegionalDynamo.single(dynamo));

    private Outcome apply(Remedy.PolicyCut... cuts) {
        return fixes.apply(new PublicAccessRemedy.RemovePolicyStatements(List.of(cuts)), STATE);
    }

    private void givenPutFails(Exception failure) {
        when(dynamo.putResourcePolicy(any(PutResourcePolicyRequest.class))).thenThrow(failure);
    }

    @Test
    void apply_shouldPutTheRewrittenPolicyOnTheRevisionRead_whenStatementsAreKept() {
        // GIVEN
        when(dynamo.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenReturn(PutResourcePolicyResponse.builder().revisionId("t-2").build());

        // WHEN
        Outcome outcome = apply(TABLE_CUT);

        // THEN
        ArgumentCaptor<PutResourcePolicyRequest> put = ArgumentCaptor.forClass(PutResourcePolicyRequest.class);
        verify(dynamo).putResourcePolicy(put.capture());
        assertThat(put.getValue()).isEqualTo(PutResourcePolicyRequest.builder().resourceArn(ORDERS.arn())
                .policy(policy(OWN_ROLE)).expectedRevisionId("t-1").build());
        verify(dynamo, never()).deleteResourcePolicy(any(DeleteResourcePolicyRequest.class));
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.description()).isEqualTo(new PublicAccessRemedy.RemovePolicyStatements(List.of(TABLE_CUT)).done())
                .contains("Removed 1 statement(s)").contains("revision t-1");
        assertThat(outcome.after()).hasValueSatisfying(after -> assertThat(policies(after).table())
                .contains(new ResourcePolicy(ORDERS.arn(), policy(OWN_ROLE), "t-2")));
    }

    @Test
    void apply_shouldDeleteThePolicyOnTheRevisionRead_whenNoStatementIsKept() {
        // GIVEN
        when(dynamo.deleteResourcePolicy(any(DeleteResourcePolicyRequest.class)))
                .thenReturn(DeleteResourcePolicyResponse.builder().build());

        // WHEN
        Outcome outcome = apply(STREAM_DELETE);

        // THEN
        ArgumentCaptor<DeleteResourcePolicyRequest> delete = ArgumentCaptor.forClass(DeleteResourcePolicyRequest.class);
        verify(dynamo).deleteResourcePolicy(delete.capture());
        assertThat(delete.getValue()).isEqualTo(
                DeleteResourcePolicyRequest.builder().resourceArn(STREAM).expectedRevisionId("s-1").build());
        verify(dynamo, never()).putResourcePolicy(any(PutResourcePolicyRequest.class));
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.description()).contains("Deleted the resource policy of " + STREAM);
    }

    @Test
    void apply_shouldWriteEachPolicyInOrder_whenTableAndStreamAreCut() {
        // GIVEN
        when(dynamo.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenReturn(PutResourcePolicyResponse.builder().build());
        when(dynamo.deleteResourcePolicy(any(DeleteResourcePolicyRequest.class)))
                .thenReturn(DeleteResourcePolicyResponse.builder().build());

        // WHEN
        Outcome outcome = apply(TABLE_CUT, STREAM_DELETE);

        // THEN
        InOrder order = inOrder(dynamo);
        order.verify(dynamo).putResourcePolicy(PutResourcePolicyRequest.builder().resourceArn(ORDERS.arn())
                .policy(policy(OWN_ROLE)).expectedRevisionId("t-1").build());
        order.verify(dynamo).deleteResourcePolicy(
                DeleteResourcePolicyRequest.builder().resourceArn(STREAM).expectedRevisionId("s-1").build());
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.description()).contains(ORDERS.arn() + " and kept the rest").contains(STREAM);
        // the put's answer carried no revision: only a read can tell the state after
        assertThat(outcome.after()).isEmpty();
    }

    @Test
    void apply_shouldReportThePolicyGoneAndTheOtherKept_whenTheStreamPolicyIsDeleted() {
        // GIVEN both policies read
        ResourcePolicy tablePolicy = new ResourcePolicy(ORDERS.arn(), policy(OWN_ROLE), "t-1");
        TableState read = STATE.withAugment(ResourcePolicies.class, new ResourcePolicies(Optional.of(tablePolicy),
                STREAM, Optional.of(new ResourcePolicy(STREAM, policy(STREAM_TO_STRANGER), "s-1"))));
        when(dynamo.deleteResourcePolicy(any(DeleteResourcePolicyRequest.class)))
                .thenReturn(DeleteResourcePolicyResponse.builder().revisionId("s-1").build());

        // WHEN
        Outcome outcome = fixes.apply(new PublicAccessRemedy.RemovePolicyStatements(List.of(STREAM_DELETE)), read);

        // THEN
        assertThat(outcome.after()).hasValueSatisfying(after -> {
            assertThat(policies(after).stream()).isEmpty();
            assertThat(policies(after).table()).contains(tablePolicy);
        });
    }

    @Test
    void apply_shouldThrowStateMoved_whenThePolicyIsNoLongerTheRevisionRead() {
        PolicyNotFoundException moved = PolicyNotFoundException.builder().message("revision mismatch").build();
        givenPutFails(moved);

        assertThatThrownBy(() -> apply(TABLE_CUT)).isInstanceOf(StateMoved.class).hasCause(moved)
                .hasMessageContaining(ORDERS.arn()).hasMessageContaining("t-1");
    }

    @Test
    void apply_shouldThrowStateMoved_whenDeleteFindsAnotherRevision() {
        PolicyNotFoundException moved = PolicyNotFoundException.builder().message("revision mismatch").build();
        when(dynamo.deleteResourcePolicy(any(DeleteResourcePolicyRequest.class))).thenThrow(moved);

        assertThatThrownBy(() -> apply(STREAM_DELETE)).isInstanceOf(StateMoved.class).hasCause(moved);
    }

    static Stream<DynamoDbException> refusals() {
        return Stream.of(
                (DynamoDbException) ResourceInUseException.builder().message("policy updated within 15 s").build(),
                (DynamoDbException) LimitExceededException.builder().message("too many policy updates").build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void apply_shouldAskToRetryAfter15Seconds_whenPolicyUpdateIsBlocked(DynamoDbException refusal) {
        givenPutFails(refusal);

        assertThatThrownBy(() -> apply(TABLE_CUT)).isInstanceOfSatisfying(ResourceBusy.class, busy -> {
            assertThat(busy.retryAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
            assertThat(busy).hasCause(refusal).hasMessageContaining(ORDERS.arn());
        });
    }

    @Test
    void apply_shouldReportTableGone_whenTheTableWasDeleted() {
        givenPutFails(ResourceNotFoundException.builder().message("Requested resource not found").build());

        Outcome outcome = apply(TABLE_CUT);

        assertThat(outcome.action()).isEqualTo(Outcome.Action.TABLE_GONE);
        assertThat(outcome.changedTable()).isFalse();
    }

    @Test
    void actionsFor_shouldBeThePutAndDeleteThisFixCalls() {
        assertThat(fixes.actionsFor(PublicAccessRemedy.RemovePolicyStatements.class))
                .containsExactlyInAnyOrder("dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy");
    }

    private static ResourcePolicies policies(TableState state) {
        return state.augment(ResourcePolicies.class).orElseThrow();
    }
}
