package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.BeforeEach;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.model.DeleteResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.ddbwarden.TestEvents.EVENT_ID;
import static dev.ddbwarden.TestPolicies.TRUSTING;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * {@link PipelineHarness} for the public-access rule: the reader reads policies, and the mocked client
 * serves each resource's policies as a sequence of revisions (one per read, the last repeating) and
 * answers PutResourcePolicy from a script. Every policy call is logged in {@link #calls}, e.g.
 * {@code GetResourcePolicy(table)} or {@code PutResourcePolicy(stream)}, in order with the sleeps.
 */
abstract class PublicAccessHarness extends PipelineHarness {
    static final String STREAM = ARN + "/stream/2024-05-01T12:00:00.000";
    static final String POLICY_RULE = PublicAccessRule.RULE;
    static final LedgerKey POLICY_KEY = LedgerKey.of(EVENT_ID, POLICY_RULE, ARN);

    /** A policy as GetResourcePolicy returns it. */
    record Live(String document, String revisionId) {
    }

    /** In a sequence of {@link #givenPolicies}: GetResourcePolicy says PolicyNotFoundException. */
    static final Live NONE = null;

    private final Map<String, List<Live>> policies = new HashMap<>();
    private final Map<String, Integer> policyReads = new HashMap<>();
    private final List<RuntimeException> putAnswers = new ArrayList<>();
    private int puts;
    private boolean withStream;

    @BeforeEach
    void stubPolicyCalls() {
        givenStatuses("ACTIVE");
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class))).thenAnswer(i -> {
            String arn = i.<GetResourcePolicyRequest>getArgument(0).resourceArn();
            calls.add("GetResourcePolicy(" + which(arn) + ")");
            List<Live> sequence = policies.getOrDefault(arn, Arrays.asList(NONE));
            int read = policyReads.merge(arn, 1, Integer::sum) - 1;
            Live live = sequence.get(Math.min(read, sequence.size() - 1));
            if (live == NONE) {
                throw PolicyNotFoundException.builder().message("Resource-based policy not found").build();
            }
            return GetResourcePolicyResponse.builder().policy(live.document()).revisionId(live.revisionId()).build();
        });
        when(dynamo.putResourcePolicy(any(PutResourcePolicyRequest.class))).thenAnswer(i -> {
            calls.add("PutResourcePolicy(" + which(i.<PutResourcePolicyRequest>getArgument(0).resourceArn()) + ")");
            RuntimeException refusal = puts < putAnswers.size() ? putAnswers.get(puts) : null;
            puts++;
            if (refusal != null) {
                throw refusal;
            }
            return PutResourcePolicyResponse.builder().revisionId("written-" + puts).build();
        });
        when(dynamo.deleteResourcePolicy(any(DeleteResourcePolicyRequest.class))).thenAnswer(i -> {
            calls.add("DeleteResourcePolicy(" + which(i.<DeleteResourcePolicyRequest>getArgument(0).resourceArn()) + ")");
            return DeleteResourcePolicyResponse.builder().build();
        });
    }

    /** DescribeTable answers these statuses, one per read, the last repeating. */
    void givenStatuses(String first, String... then) {
        DescribeTableResponse[] rest = Arrays.stream(then).map(this::described).toArray(DescribeTableResponse[]::new);
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(described(first), rest);
    }

    /** The table has a stream ({@link #STREAM}); call before {@link #givenStatuses} to change them too. */
    void givenStream() {
        withStream = true;
        givenStatuses("ACTIVE");
    }

    /** GetResourcePolicy on {@code arn} answers these, one per read, the last repeating; {@link #NONE} for none. */
    void givenPolicies(String arn, Live... inOrder) {
        policies.put(arn, Arrays.asList(inOrder));
    }

    /** The n-th PutResourcePolicy throws the n-th of these; null, or past the end, succeeds. */
    void givenPutAnswers(RuntimeException... inOrder) {
        putAnswers.addAll(Arrays.asList(inOrder));
    }

    List<Result> run(Settings settings, ObjectNode event, TimeBudget budget) {
        return process(new PublicAccessRule(), settings, event, 0, budget);
    }

    List<Result> run(ObjectNode event) {
        return run(TRUSTING, event, TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
    }

    /** Every PutResourcePolicy request sent, in order. */
    List<PutResourcePolicyRequest> putRequests() {
        ArgumentCaptor<PutResourcePolicyRequest> put = ArgumentCaptor.forClass(PutResourcePolicyRequest.class);
        verify(dynamo, atLeast(0)).putResourcePolicy(put.capture());
        return put.getAllValues();
    }

    long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    static Live at(String document, String revisionId) {
        return new Live(Objects.requireNonNull(document), revisionId);
    }

    static PutResourcePolicyRequest put(String arn, String policy, String expectedRevision) {
        return PutResourcePolicyRequest.builder().resourceArn(arn).policy(policy).expectedRevisionId(expectedRevision)
                .build();
    }

    static ResourceInUseException inUse() {
        return ResourceInUseException.builder().message("policy of the resource was updated less than 15 s ago").build();
    }

    static PolicyNotFoundException revisionMismatch() {
        return PolicyNotFoundException.builder().message("no policy with the expected revision ID").build();
    }

    private DescribeTableResponse described(String status) {
        return DescribeTableResponse.builder().table(t -> t.tableName("orders").tableArn(ARN).tableStatus(status)
                .deletionProtectionEnabled(true).latestStreamArn(withStream ? STREAM : null)).build();
    }

    private static String which(String arn) {
        return arn.equals(ARN) ? "table" : arn.equals(STREAM) ? "stream" : arn;
    }
}
