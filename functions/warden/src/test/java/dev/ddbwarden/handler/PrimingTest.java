package dev.ddbwarden.handler;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.mockito.invocation.Invocation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.GetTopicAttributesRequest;
import software.amazon.awssdk.services.sns.model.GetTopicAttributesResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * Priming runs in every account ddb-warden is deployed to, before each snapshot: it must change nothing
 * there. Every method called on the SDK clients is collected and held to an allow-list of reads, whatever
 * the account holds (nothing, or a table by the probe's name that breaks every rule) and whatever fails.
 */
class PrimingTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ddb-warden-alerts";
    private static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ddb-warden-recheck";
    private static final String LEDGER = "ddb-warden-ledger";
    /** Client methods that read; {@code serviceClientConfiguration} and {@code serviceName} only describe the client. */
    private static final Set<String> READ_ONLY = Set.of("describeTable", "listTagsOfResource", "getResourcePolicy",
            "getItem", "getQueueAttributes", "getTopicAttributes", "serviceClientConfiguration", "serviceName");
    /** What must never happen, named for the failure message (the allow-list already excludes them). */
    private static final Set<String> WRITES = Set.of("updateTable", "putResourcePolicy", "deleteResourcePolicy",
            "tagResource", "untagResource", "putItem", "updateItem", "deleteItem", "transactWriteItems",
            "batchWriteItem", "deleteTable", "publish", "publishBatch", "sendMessage", "sendMessageBatch",
            "deleteMessage", "receiveMessage", "setTopicAttributes", "setQueueAttributes", "subscribe");

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final SnsClient sns = SdkMocks.client(SnsClient.class);
    private final SqsClient sqs = SdkMocks.client(SqsClient.class);
    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:05Z"));

    private static Settings settings(Map<String, String> env) {
        return Settings.from(env::get);
    }

    private static Settings everything() {
        return settings(Map.of(EnvVar.ALERT_TOPIC_ARN, TOPIC, EnvVar.LEDGER_TABLE, LEDGER, EnvVar.RECHECK_QUEUE_URL, QUEUE,
                EnvVar.ALLOWED_REGIONS, "us-east-1,eu-west-1", EnvVar.TRUSTED_ACCOUNTS, "210987654321",
                EnvVar.APPROVED_PRINCIPALS, "arn:aws:iam::123456789012:role/PlatformAdmin"));
    }

    private Priming priming(Settings settings) {
        when(dynamo.serviceClientConfiguration()).thenReturn(
                DynamoDbServiceClientConfiguration.builder().region(Region.US_EAST_1).build());
        return new Priming(new Services(dynamo, sns, sqs, settings, clock, clock::advance));
    }

    /** Every SDK client method priming invoked, in any of the three clients. */
    private Set<String> called() {
        return Stream.of(dynamo, sns, sqs)
                .flatMap(mock -> mockingDetails(mock).getInvocations().stream())
                .map(Invocation::getMethod)
                .map(java.lang.reflect.Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private void assertReadOnly() {
        Set<String> called = called();
        assertThat(called).as("SDK calls made while priming").isSubsetOf(READ_ONLY).doesNotContainAnyElementsOf(WRITES);
    }

    @Test
    void anEmptyAccountIsOnlyReadAndEveryStepRuns() {
        when(dynamo.describeTable(any(DescribeTableRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("Requested resource not found").build());
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder().build());
        when(sqs.getQueueAttributes(any(GetQueueAttributesRequest.class))).thenReturn(GetQueueAttributesResponse.builder().build());
        when(sns.getTopicAttributes(any(GetTopicAttributesRequest.class))).thenReturn(GetTopicAttributesResponse.builder().build());

        Priming.Report report = priming(everything()).prime();

        assertReadOnly();
        assertThat(report.failed()).isEmpty();
        assertThat(report.done()).containsExactly("classes", "events", "checks and alerts", "result JSON", "metrics", "DynamoDB client", "ledger",
                "re-check queue", "alert topic");
        // The clients really were exercised: a test of a priming that calls nothing would prove nothing.
        verify(dynamo).describeTable(DescribeTableRequest.builder().tableName(Priming.PROBE_TABLE).build());
        verify(dynamo).getItem(any(GetItemRequest.class));
        verify(sqs).getQueueAttributes(any(GetQueueAttributesRequest.class));
        verify(sns).getTopicAttributes(GetTopicAttributesRequest.builder().topicArn(TOPIC).build());
        Set<String> declared = new TreeSet<>(Priming.READ_CALLS);
        declared.add("serviceClientConfiguration");
        assertThat(called()).as("calls priming declares in READ_CALLS").isSubsetOf(declared);
        assertThat(Priming.READ_CALLS).isSubsetOf(READ_ONLY);
    }

    @Test
    void anAccountWhereEverythingExistsAndBreaksEveryRuleIsStillOnlyRead() {
        // The worst account: a table by the probe's name, unprotected, public, replicated to a forbidden
        // region, and a ledger entry where priming looks. Priming must read it and leave it as it is.
        TableDescription exposed = TableDescription.builder()
                .tableName(Priming.PROBE_TABLE)
                .tableArn("arn:aws:dynamodb:us-east-1:123456789012:table/" + Priming.PROBE_TABLE)
                .tableStatus("ACTIVE").deletionProtectionEnabled(false)
                .latestStreamArn("arn:aws:dynamodb:us-east-1:123456789012:table/" + Priming.PROBE_TABLE + "/stream/x")
                .build();
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder().table(exposed).build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class))).thenReturn(GetResourcePolicyResponse.builder()
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"dynamodb:*\","
                        + "\"Resource\":\"*\"}]}").revisionId("1").build());
        when(dynamo.getItem(any(GetItemRequest.class))).thenReturn(GetItemResponse.builder()
                .item(Map.of("eventId", AttributeValue.fromS("ddb-warden-priming"), "status", AttributeValue.fromS("OPEN"))).build());
        when(sqs.getQueueAttributes(any(GetQueueAttributesRequest.class))).thenReturn(GetQueueAttributesResponse.builder().build());
        when(sns.getTopicAttributes(any(GetTopicAttributesRequest.class))).thenReturn(GetTopicAttributesResponse.builder().build());

        for (Settings settings : List.of(everything(), everything().withMode(dev.ddbwarden.config.RemediationMode.NOTIFY))) {
            Mockito.clearInvocations(dynamo, sns, sqs);
            priming(settings).prime();
            assertReadOnly();
        }
    }

    /** A metric printed while priming would be counted in CloudWatch at every publish: the writer is warmed, nothing printed. */
    @Test
    void primingWarmsTheMetricsWriterButPrintsNoMetric() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Priming.Report report;
        try {
            report = priming(everything()).prime();
        } finally {
            System.setOut(original);
        }

        assertThat(report.done()).contains("metrics");
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("_aws").doesNotContain("Findings");
    }

    @Test
    void failuresAreSkippedNeverThrownAndStillNothingIsWritten() {
        SdkClientException down = SdkClientException.create("Unable to execute HTTP request: Connection refused");
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenThrow(down);
        when(dynamo.getItem(any(GetItemRequest.class))).thenThrow(down);
        when(sqs.getQueueAttributes(any(GetQueueAttributesRequest.class))).thenThrow(down);
        when(sns.getTopicAttributes(any(GetTopicAttributesRequest.class))).thenThrow(down);
        Priming priming = priming(everything());

        assertThatCode(() -> priming.beforeCheckpoint(null)).doesNotThrowAnyException();
        Priming.Report report = priming.prime();

        assertReadOnly();
        assertThat(report.failed()).containsOnlyKeys("DynamoDB client", "ledger", "re-check queue", "alert topic");
        assertThat(report.done()).contains("classes", "events", "checks and alerts", "result JSON");
    }

    @Test
    void withoutLedgerQueueOrTopicOnlyTheTableProbeIsMade() {
        when(dynamo.describeTable(any(DescribeTableRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("Requested resource not found").build());

        Priming.Report report = priming(settings(Map.of())).prime();

        assertReadOnly();
        verifyNoInteractions(sns, sqs);
        assertThat(called()).containsOnly("describeTable");
        assertThat(report.failed()).isEmpty();
    }

    @Test
    void everyTriggerOfEveryRegisteredRuleIsPrimed() {
        // So that priming runs each rule's decision code on each call it reads, with no sample to add per rule.
        assertThat(Priming.EVENTS).allSatisfy(resource ->
                assertThat(Priming.class.getClassLoader().getResource(resource)).as(resource).isNotNull());
        Set<String> primed = priming(everything()).parseEvents().stream().map(ApiCall::eventName).collect(Collectors.toSet());

        assertThat(Rules.all()).allSatisfy(rule ->
                assertThat(primed).as(rule.name() + "'s triggers are primed").containsAll(rule.eventNames()));
    }

    @Test
    void theClassListLeavesOutCracRegistrationsAndIsMostlyCurrent() throws Exception {
        List<String> names;
        try (var in = Priming.class.getClassLoader().getResourceAsStream(Priming.CLASSES)) {
            assertThat(in).as(Priming.CLASSES).isNotNull();
            names = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        }
        assertThat(names).hasSizeGreaterThan(100).noneMatch(Priming::registersWithCrac);
        long found = names.stream().filter(name -> {
            try {
                Class.forName(name, false, Priming.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }).count();
        // Stale names are skipped at run time; many of them mean the list wants regenerating (bench/priming-classes).
        assertThat(found).as("classes in %s that still exist", Priming.CLASSES).isGreaterThan(names.size() * 8L / 10);
    }
}
