package dev.ddbwarden.state;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.ddbwarden.TestPolicies.EVERYONE;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.STREAM_TO_STRANGER;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Reading the resource policies of a table and its stream. moto_server cannot hold stream policies, so
 * the stream's are read here from a mocked client.
 */
class TableReaderPoliciesTest {
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final String STREAM = ORDERS.arn() + "/stream/2024-05-01T12:00:00.000";

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper sleeper = wait -> {
        waits.add(wait);
        clock.advance(wait);
    };
    private final TableReader withPolicies = new TableReader(RegionalDynamo.single(dynamo), sleeper,
            List.of(ResourcePolicies.AUGMENT));

    @BeforeEach
    void givenATableWithAStream() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ORDERS.arn()).tableStatus("ACTIVE").latestStreamArn(STREAM))
                .build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
    }

    private static GetResourcePolicyResponse policyAt(String document, String revision) {
        return GetResourcePolicyResponse.builder().policy(document).revisionId(revision).build();
    }

    private static GetResourcePolicyRequest getPolicyOf(String arn) {
        return GetResourcePolicyRequest.builder().resourceArn(arn).build();
    }

    private TimeBudget fiveMinutes() {
        return TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO);
    }

    @Test
    void read_shouldReadThePoliciesOfTableAndStream_whenBuiltWithPolicies() {
        // GIVEN
        when(dynamo.getResourcePolicy(getPolicyOf(ORDERS.arn()))).thenReturn(policyAt(policy(OWN_ROLE), "t-1"));
        when(dynamo.getResourcePolicy(getPolicyOf(STREAM))).thenReturn(policyAt(policy(STREAM_TO_STRANGER), "s-1"));

        // WHEN
        TableState state = withPolicies.read(ORDERS).orElseThrow();

        // THEN
        ArgumentCaptor<GetResourcePolicyRequest> get = ArgumentCaptor.forClass(GetResourcePolicyRequest.class);
        verify(dynamo, times(2)).getResourcePolicy(get.capture());
        assertThat(get.getAllValues()).containsExactly(getPolicyOf(ORDERS.arn()), getPolicyOf(STREAM));
        assertThat(policies(state).table()).contains(new ResourcePolicy(ORDERS.arn(), policy(OWN_ROLE), "t-1"));
        assertThat(policies(state).stream()).contains(new ResourcePolicy(STREAM, policy(STREAM_TO_STRANGER), "s-1"));
        assertThat(policies(state).of(STREAM)).isEqualTo(policies(state).stream());
        assertThat(policies(state).of(ORDERS.arn())).isEqualTo(policies(state).table());
        assertThat(state.summary().path("resourcePolicy").path("revisionId").asText()).isEqualTo("t-1");
        assertThat(state.summary().path("streamPolicy").path("revisionId").asText()).isEqualTo("s-1");
    }

    @Test
    void read_shouldGiveNoPolicy_whenGetResourcePolicySaysPolicyNotFound() {
        // GIVEN the table has no policy, its stream has one
        when(dynamo.getResourcePolicy(getPolicyOf(ORDERS.arn())))
                .thenThrow(PolicyNotFoundException.builder().message("no policy").build());
        when(dynamo.getResourcePolicy(getPolicyOf(STREAM))).thenReturn(policyAt(policy(STREAM_TO_STRANGER), "s-1"));

        // WHEN
        TableState state = withPolicies.read(ORDERS).orElseThrow();

        // THEN
        assertThat(policies(state).table()).isEmpty();
        assertThat(policies(state).stream()).map(ResourcePolicy::revisionId).contains("s-1");
    }

    @Test
    void read_shouldReadOnlyTheTablePolicy_whenTheTableHasNoStream() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("orders").tableArn(ORDERS.arn()).tableStatus("ACTIVE")).build());
        when(dynamo.getResourcePolicy(getPolicyOf(ORDERS.arn()))).thenReturn(policyAt(policy(OWN_ROLE), "t-1"));

        TableState state = withPolicies.read(ORDERS).orElseThrow();

        verify(dynamo, times(1)).getResourcePolicy(any(GetResourcePolicyRequest.class));
        assertThat(policies(state).streamArn()).isEmpty();
        assertThat(policies(state).stream()).isEmpty();
    }

    @Test
    void read_shouldNotReadPolicies_whenBuiltWithoutThem() {
        TableState state = new TableReader(dynamo, sleeper).read(ORDERS).orElseThrow();

        verify(dynamo, never()).getResourcePolicy(any(GetResourcePolicyRequest.class));
        assertThat(state.augment(ResourcePolicies.class)).isEmpty();
    }

    @Test
    void read_shouldReadTheTablesPolicyAlone_forARuleThatReadsNone_whenTheTableCarriesTheQuarantineTag() {
        // GIVEN a table tagged as quarantined: the tag counts only beside the statement in its live policy
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder()
                .tags(Tag.builder().key("ddb-warden:quarantine").value("by hand").build()).build());
        when(dynamo.getResourcePolicy(getPolicyOf(ORDERS.arn()))).thenReturn(policyAt(policy(OWN_ROLE), "t-1"));

        // WHEN a reader built without the policies augment reads it
        TableState state = new TableReader(dynamo, sleeper).read(ORDERS).orElseThrow();

        // THEN the table's policy was read, the stream's was not
        verify(dynamo, times(1)).getResourcePolicy(any(GetResourcePolicyRequest.class));
        assertThat(policies(state)).isEqualTo(new ResourcePolicies(
                Optional.of(new ResourcePolicy(ORDERS.arn(), policy(OWN_ROLE), "t-1")), STREAM, Optional.empty()));
    }

    @Test
    void readUntil_shouldStopAtTheFirstStateThatHolds_whenThePolicyCatchesUp() {
        // GIVEN the new revision t-2 shows on the third read
        when(dynamo.getResourcePolicy(getPolicyOf(ORDERS.arn()))).thenReturn(policyAt(policy(OWN_ROLE), "t-1"),
                policyAt(policy(OWN_ROLE), "t-1"), policyAt(policy(OWN_ROLE, EVERYONE), "t-2"));
        when(dynamo.getResourcePolicy(getPolicyOf(STREAM))).thenThrow(PolicyNotFoundException.builder().build());

        // WHEN
        Optional<TableState> state = withPolicies.readUntil(ORDERS, withPolicies.read(ORDERS), fiveMinutes(),
                s -> policies(s).table().map(p -> p.revisionId().equals("t-2")).orElse(false), 10);

        // THEN
        assertThat(state.flatMap(s -> policies(s).table())).map(ResourcePolicy::revisionId).contains("t-2");
        verify(dynamo, times(3)).getResourcePolicy(getPolicyOf(ORDERS.arn()));
        verify(dynamo, times(3)).describeTable(any(DescribeTableRequest.class));
        assertThat(waits).hasSize(2);
    }

    @Test
    void readUntil_shouldReadAtMostMaxReadsTimes_whenThePredicateNeverHolds() {
        // GIVEN
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class))).thenReturn(policyAt(policy(OWN_ROLE), "t-1"));

        // WHEN
        Optional<TableState> state = withPolicies.readUntil(ORDERS, withPolicies.read(ORDERS), fiveMinutes(), s -> false, 4);

        // THEN the last state read comes back, after four reads and three waits
        assertThat(state.flatMap(s -> policies(s).table())).map(ResourcePolicy::revisionId).contains("t-1");
        verify(dynamo, times(4)).describeTable(any(DescribeTableRequest.class));
        verify(dynamo, times(4)).getResourcePolicy(getPolicyOf(ORDERS.arn()));
        assertThat(waits).hasSize(3);
    }

    @Test
    void readUntil_shouldReadOnceAndNotWait_whenThePredicateHoldsAtOnce() {
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class))).thenReturn(policyAt(policy(OWN_ROLE), "t-1"));

        Optional<TableState> state = withPolicies.readUntil(ORDERS, withPolicies.read(ORDERS), fiveMinutes(), s -> true, 4);

        assertThat(state).isPresent();
        verify(dynamo, times(1)).describeTable(any(DescribeTableRequest.class));
        assertThat(waits).isEmpty();
    }

    private static ResourcePolicies policies(TableState state) {
        return state.augment(ResourcePolicies.class).orElseThrow();
    }
}
