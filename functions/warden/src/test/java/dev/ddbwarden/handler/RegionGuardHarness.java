package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.BeforeEach;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.PutResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.TagResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ddbwarden.TestEvents.EVENT_ID;
import static dev.ddbwarden.TestEvents.tableIn;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * {@link PipelineHarness} for the region-guard rule: the mocked client describes one table (by default
 * {@link #COPY}, created in Sydney) through a sequence of statuses, with or without a stream and with
 * the replicas a test gives; it has no resource policy unless a test gives one, and answers
 * PutResourcePolicy from a script. Policy calls and TagResource are logged in {@link #calls} too, e.g.
 * {@code PutResourcePolicy(table)} or {@code TagResource}, in order with UpdateTable and the sleeps.
 */
abstract class RegionGuardHarness extends PipelineHarness {
    static final String SYDNEY = "ap-southeast-2";
    static final String SECURITY_ROLE = "arn:aws:iam::123456789012:role/security/incident-responder";
    static final String GUARD_RULE = RegionGuardRule.RULE;
    static final TableRef COPY = tableIn(SYDNEY, "customer-copy");
    static final LedgerKey COPY_KEY = LedgerKey.of(EVENT_ID, GUARD_RULE, COPY.arn());
    /** ALLOWED_REGIONS us-east-1 and eu-west-1; the security role spared by the quarantine. */
    static final Settings GUARDING = guarding(Map.of());

    private TableRef table = COPY;
    private String stream;
    private List<List<String>> replicas = List.of(List.of());
    private List<String> statuses = List.of("ACTIVE");
    private int describes;
    private final Map<String, String> policies = new HashMap<>();
    private final List<RuntimeException> putAnswers = new ArrayList<>();
    private int puts;

    /** {@link #GUARDING} with these variables added. */
    static Settings guarding(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1,eu-west-1",
                EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, SECURITY_ROLE));
        env.putAll(more);
        return Settings.from(env::get);
    }

    @BeforeEach
    void stubRegionGuardCalls() {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenAnswer(i -> described());
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class))).thenAnswer(i -> {
            String arn = i.<GetResourcePolicyRequest>getArgument(0).resourceArn();
            calls.add("GetResourcePolicy(" + which(arn) + ")");
            if (!policies.containsKey(arn)) {
                throw PolicyNotFoundException.builder().message("Resource-based policy not found").build();
            }
            return GetResourcePolicyResponse.builder()
                    .policy(policies.get(arn)).revisionId("r-1").build();
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
        when(dynamo.tagResource(any(TagResourceRequest.class))).thenAnswer(i -> {
            calls.add("TagResource");
            return TagResourceResponse.builder().build();
        });
    }

    /** DescribeTable describes {@code described}, with replicas in these regions. */
    void givenTable(TableRef described, String... replicaRegions) {
        this.table = described;
        this.replicas = List.of(List.of(replicaRegions));
    }

    /** DescribeTable lists these replica regions, one list per read, the last repeating. */
    @SafeVarargs
    final void givenReplicasPerRead(List<String> first, List<String>... then) {
        List<List<String>> all = new ArrayList<>(List.of(first));
        all.addAll(Arrays.asList(then));
        replicas = all;
    }

    /** DescribeTable answers these statuses, one per read, the last repeating. */
    void givenStatuses(String first, String... then) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(Arrays.asList(then));
        statuses = all;
    }

    /** The table has a stream, without a policy. */
    void givenStream() {
        stream = table.arn() + "/stream/2024-05-01T12:00:00.000";
    }

    String stream() {
        return stream;
    }

    /** GetResourcePolicy on the table answers {@code document} at revision r-1. */
    void givenTablePolicy(String document) {
        policies.put(table.arn(), document);
    }

    /** The n-th PutResourcePolicy throws the n-th of these; null, or past the end, succeeds. */
    void givenPutAnswers(RuntimeException... inOrder) {
        putAnswers.addAll(Arrays.asList(inOrder));
    }

    List<Result> run(Settings settings, ObjectNode event) {
        return process(new RegionGuardRule(), settings, event, 0, TimeBudget.of(clock, Duration.ofMinutes(5),
                Duration.ZERO));
    }

    List<Result> run(ObjectNode event) {
        return run(GUARDING, event);
    }

    List<PutResourcePolicyRequest> putRequests() {
        ArgumentCaptor<PutResourcePolicyRequest> put = ArgumentCaptor.forClass(PutResourcePolicyRequest.class);
        verify(dynamo, atLeast(0)).putResourcePolicy(put.capture());
        return put.getAllValues();
    }

    List<TagResourceRequest> tagRequests() {
        ArgumentCaptor<TagResourceRequest> tag = ArgumentCaptor.forClass(TagResourceRequest.class);
        verify(dynamo, atLeast(0)).tagResource(tag.capture());
        return tag.getAllValues();
    }

    List<UpdateTableRequest> updateRequests() {
        ArgumentCaptor<UpdateTableRequest> update = ArgumentCaptor.forClass(UpdateTableRequest.class);
        verify(dynamo, atLeast(0)).updateTable(update.capture());
        return update.getAllValues();
    }

    long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    static ResourceInUseException inUse() {
        return ResourceInUseException.builder().message("policy of the resource was updated less than 15 s ago").build();
    }

    private DescribeTableResponse described() {
        int read = describes++;
        String status = statuses.get(Math.min(read, statuses.size() - 1));
        List<String> regions = replicas.get(Math.min(read, replicas.size() - 1));
        return DescribeTableResponse.builder().table(t -> t.tableName(table.name()).tableArn(table.arn())
                .tableStatus(status).latestStreamArn(stream)
                .replicas(regions.stream()
                        .map(r -> ReplicaDescription.builder().regionName(r).replicaStatus("ACTIVE").build())
                        .toList())).build();
    }

    private String which(String arn) {
        return arn.equals(table.arn()) ? "table" : arn.equals(stream) ? "stream" : arn;
    }
}
