package dev.ddbwarden.fix;

import dev.ddbwarden.RuleFixes;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.regionguard.RegionGuardRemedy;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.TagResourceResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.tableIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Quarantining a table in place, through the registry as the pipeline calls it, with the client of the
 * table's own region. moto_server holds no stream policies and never refuses a policy update within 15
 * seconds, so those answers are modelled here with a mocked client.
 */
class QuarantineFixTest {
    private static final TableRef COPY = tableIn("ap-southeast-2", "customer-copy");
    private static final String STREAM = COPY.arn() + "/stream/2024-05-01T12:00:00.000";
    private static final TableState STATE = new TableState(COPY, "ACTIVE", Map.of())
            .withAugment(ResourcePolicies.class, new ResourcePolicies(Optional.empty(), STREAM, Optional.empty()));
    private static final String TAG = "region ap-southeast-2 is not allowed";
    private static final Remedy.PolicyCut TABLE_CUT = new Remedy.PolicyCut(COPY.arn(), Remedy.PolicyCut.NO_POLICY,
            Optional.of(QuarantineStatement.addedTo(Optional.empty(), List.of(COPY.arn()), List.of())), List.of());
    private static final Remedy.PolicyCut STREAM_CUT = new Remedy.PolicyCut(STREAM, "s-1",
            Optional.of(QuarantineStatement.addedTo(Optional.empty(), List.of(STREAM), List.of())), List.of());

    private final DynamoDbClient sydney = SdkMocks.client(DynamoDbClient.class);
    /** Only the table's region has a client: a call anywhere else fails the test. */
    private final Fixes fixes = RuleFixes.of(new RegionGuardRule(), (RegionalDynamo) (account, region) -> "ap-southeast-2".equals(region)
            ? sydney : fail("a client for " + region + " was asked for"));

    private Outcome apply(Remedy.PolicyCut... cuts) {
        return fixes.apply(new RegionGuardRemedy.Quarantine(List.of(cuts), TAG), STATE);
    }

    private void givenWritesSucceed() {
        when(sydney.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenReturn(PutResourcePolicyResponse.builder().revisionId("written").build());
        when(sydney.tagResource(any(TagResourceRequest.class))).thenReturn(TagResourceResponse.builder().build());
    }

    private static PutResourcePolicyRequest put(Remedy.PolicyCut cut) {
        return PutResourcePolicyRequest.builder().resourceArn(cut.resourceArn()).policy(cut.rewritten().orElseThrow())
                .expectedRevisionId(cut.revisionId()).build();
    }

    @Test
    void apply_shouldPutOnNoPolicyThenTag_whenTheTableHadNoPolicy() {
        // GIVEN
        givenWritesSucceed();

        // WHEN
        Outcome outcome = apply(TABLE_CUT);

        // THEN
        InOrder order = inOrder(sydney);
        ArgumentCaptor<PutResourcePolicyRequest> put = ArgumentCaptor.forClass(PutResourcePolicyRequest.class);
        order.verify(sydney).putResourcePolicy(put.capture());
        assertThat(put.getValue()).isEqualTo(put(TABLE_CUT));
        assertThat(put.getValue().expectedRevisionId()).isEqualTo("NO_POLICY");
        ArgumentCaptor<TagResourceRequest> tag = ArgumentCaptor.forClass(TagResourceRequest.class);
        order.verify(sydney).tagResource(tag.capture());
        assertThat(tag.getValue()).isEqualTo(TagResourceRequest.builder().resourceArn(COPY.arn())
                .tags(Tag.builder().key("ddb-warden:quarantine").value(TAG).build()).build());
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.description()).contains(QuarantineStatement.SID).contains(COPY.arn()).doesNotContain(STREAM);
    }

    @Test
    void apply_shouldPutBothPoliciesThenTagOnce_whenTableAndStreamAreCut() {
        // GIVEN
        givenWritesSucceed();

        // WHEN
        Outcome outcome = apply(TABLE_CUT, STREAM_CUT);

        // THEN
        InOrder order = inOrder(sydney);
        order.verify(sydney).putResourcePolicy(put(TABLE_CUT));
        order.verify(sydney).putResourcePolicy(put(STREAM_CUT));
        order.verify(sydney).tagResource(any(TagResourceRequest.class));
        verify(sydney, times(2)).putResourcePolicy(any(PutResourcePolicyRequest.class));
        verify(sydney, times(1)).tagResource(any(TagResourceRequest.class));
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
    }

    @Test
    void apply_shouldOnlyTag_whenNoPolicyIsLeftToWrite() {
        givenWritesSucceed();

        Outcome outcome = apply();

        verify(sydney, never()).putResourcePolicy(any(PutResourcePolicyRequest.class));
        verify(sydney).tagResource(any(TagResourceRequest.class));
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
    }

    @Test
    void apply_shouldThrowStateMovedWithoutProgressOrTag_whenThePolicyIsNoLongerTheRevisionRead() {
        // GIVEN someone wrote a policy since it was read
        when(sydney.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenThrow(PolicyNotFoundException.builder().message("revision mismatch").build());

        // WHEN / THEN
        assertThatThrownBy(() -> apply(TABLE_CUT, STREAM_CUT))
                .isInstanceOfSatisfying(StateMoved.class, e -> assertThat(e.progressMade()).isFalse())
                .hasMessageContaining(COPY.arn());
        verify(sydney, never()).tagResource(any(TagResourceRequest.class));
    }

    @Test
    void apply_shouldThrowResourceBusyWithOnlyTheStreamCutLeft_whenTheSecondPutIsRefused() {
        // GIVEN the table's policy is written, the stream's refused for now
        when(sydney.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenReturn(PutResourcePolicyResponse.builder().revisionId("written").build())
                .thenThrow(ResourceInUseException.builder().message("updated less than 15 s ago").build());

        // WHEN / THEN
        assertThatThrownBy(() -> apply(TABLE_CUT, STREAM_CUT)).isInstanceOfSatisfying(ResourceBusy.class, e -> {
            assertThat(e.retryAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
            assertThat(e.remaining()).contains(new RegionGuardRemedy.Quarantine(List.of(STREAM_CUT), TAG));
        });
        verify(sydney, never()).tagResource(any(TagResourceRequest.class));
    }

    @Test
    void apply_shouldThrowResourceBusyWithNothingApplied_whenTheFirstPutIsRefused() {
        when(sydney.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenThrow(ResourceInUseException.builder().message("updated less than 15 s ago").build());

        assertThatThrownBy(() -> apply(TABLE_CUT, STREAM_CUT))
                .isInstanceOfSatisfying(ResourceBusy.class, e -> assertThat(e.remaining()).isEmpty());
        verify(sydney, times(1)).putResourcePolicy(any(PutResourcePolicyRequest.class));
    }

    @Test
    void apply_shouldReportTheTableGone_whenTheTableWasDeleted() {
        // GIVEN
        when(sydney.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("Requested resource not found").build());

        // WHEN
        Outcome outcome = apply(TABLE_CUT);

        // THEN
        assertThat(outcome.action()).isEqualTo(Outcome.Action.TABLE_GONE);
        verify(sydney, never()).tagResource(any(TagResourceRequest.class));
    }

    @Test
    void apply_shouldReportTheTableGone_whenTheTableVanishesBeforeTheTag() {
        when(sydney.putResourcePolicy(any(PutResourcePolicyRequest.class)))
                .thenReturn(PutResourcePolicyResponse.builder().build());
        when(sydney.tagResource(any(TagResourceRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("Requested resource not found").build());

        assertThat(apply(TABLE_CUT).action()).isEqualTo(Outcome.Action.TABLE_GONE);
    }
}
