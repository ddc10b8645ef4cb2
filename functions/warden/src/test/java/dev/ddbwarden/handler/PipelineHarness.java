package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.Sleeper;
import dev.ddbwarden.state.TableReader;
import dev.ddbwarden.state.TimeBudget;
import dev.ddbwarden.state.TrailHistory;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.TagResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.APPROVED_ROLE;
import static dev.ddbwarden.TestEvents.EVENT_ID;
import static dev.ddbwarden.TestEvents.JSON;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

/**
 * A {@link Pipeline} as the handler builds it, over mocked DynamoDB, SQS and CloudTrail clients, an in-memory
 * ledger, a recording publisher and a clock that moves only when the table reader sleeps. Every
 * UpdateTable call and every sleep is logged in {@link #calls}, in order.
 */
abstract class PipelineHarness {
    static final String RULE = DeletionProtectionRule.RULE;
    static final String ARN = TestEvents.table("orders").arn();
    static final LedgerKey KEY = LedgerKey.of(EVENT_ID, RULE, ARN);
    static final String QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ddb-warden-recheck";
    static final Settings SETTINGS = Settings.from(Map.of(EnvVar.APPROVED_PRINCIPALS, APPROVED_ROLE)::get);
    static final Settings WITH_QUEUE = Settings.from(Map.of(EnvVar.RECHECK_QUEUE_URL, QUEUE,
            EnvVar.RECHECK_DELAY_SECONDS, "600", EnvVar.MAX_RECHECKS, "3")::get);

    final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    final SqsClient sqs = SdkMocks.client(SqsClient.class);
    final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:05Z"));
    final List<String> calls = new ArrayList<>();
    /** Every wait asked of the sleeper, by the table reader or by the pipeline retrying a fix. */
    final List<Duration> waits = new ArrayList<>();
    final Sleeper sleeper = wait -> {
        calls.add("sleep");
        waits.add(wait);
        clock.advance(wait);
    };
    /** CloudTrail, mocked: moto has no LookupEvents. It holds no record until a test gives it one. */
    final CloudTrailClient trail = SdkMocks.client(CloudTrailClient.class);
    final InMemoryLedger ledger = new InMemoryLedger();
    final RecordingPublisher publisher = new RecordingPublisher();

    @BeforeEach
    void stubWrites() {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class)))
                .thenReturn(ListTagsOfResourceResponse.builder().build());
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenAnswer(i -> {
            calls.add("UpdateTable");
            return UpdateTableResponse.builder().build();
        });
        when(dynamo.tagResource(any(TagResourceRequest.class))).thenReturn(TagResourceResponse.builder().build());
        when(sqs.sendMessage(any(SendMessageRequest.class))).thenReturn(SendMessageResponse.builder().build());
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenReturn(LookupEventsResponse.builder().build());
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class)))
                .thenThrow(PolicyNotFoundException.builder().message("no policy").build());
    }

    List<Result> process(Settings settings, ObjectNode event, int attempt, TimeBudget budget) {
        return process(new DeletionProtectionRule(), settings, event, attempt, budget);
    }

    /** The pipeline of {@code rule}, its reader reading the rule's augments, as WardenHandler builds it. */
    List<Result> process(Rule rule, Settings settings, ObjectNode event, int attempt, TimeBudget budget) {
        return process(rule, settings, ledger, event, attempt, budget);
    }

    /** The same over another ledger. */
    List<Result> process(Rule rule, Settings settings, Ledger ledger, ObjectNode event, int attempt, TimeBudget budget) {
        return pipeline(rule, settings, ledger).process(TestEvents.call(event), event, attempt, budget);
    }

    /** A call no event carried (the sweep's), through the pipeline of {@code rule}. */
    List<Result> process(Rule rule, Settings settings, ApiCall call, TimeBudget budget) {
        return pipeline(rule, settings, ledger).process(call, null, 0, budget);
    }

    private Pipeline pipeline(Rule rule, Settings settings, Ledger ledger) {
        FixContext context = new FixContext(RegionalDynamo.single(dynamo), ledger::hold, clock);
        return new Pipeline(rule, rule.subjectLookup(context), settings,
                new TableReader(RegionalDynamo.single(dynamo), sleeper, rule.augments()),
                new Fixes(rule.fixes(context)), ledger, publisher,
                settings.hasRecheckQueue()
                        ? Optional.of(new Recheck(() -> sqs, settings.recheckQueueUrl(), settings.recheckDelaySeconds()))
                        : Optional.empty(),
                clock, sleeper, new TrailHistory((account, region) -> trail, sleeper));
    }

    List<Result> process(ObjectNode event) {
        return process(SETTINGS, event, 0, TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
    }

    TimeBudget nearlyExhausted() {
        return TimeBudget.of(clock, Duration.ofMillis(500), Duration.ZERO);
    }

    static DescribeTableResponse table(String status, boolean protection) {
        return DescribeTableResponse.builder().table(t -> t.tableName("orders").tableArn(ARN).tableStatus(status)
                .deletionProtectionEnabled(protection)).build();
    }

    void givenReads(DescribeTableResponse first, DescribeTableResponse... then) {
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(first, then);
    }

    int updateTableCalls() {
        return (int) calls.stream().filter("UpdateTable"::equals).count();
    }

    /** CloudTrail's record under the event's ID is {@code recorded}'s CloudTrail record. */
    void givenTrailRecord(ObjectNode recorded) {
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenReturn(LookupEventsResponse.builder()
                .events(Event.builder().eventId(EVENT_ID).cloudTrailEvent(JsonText.write(TestEvents.detail(recorded))).build())
                .build());
    }

    /** The ledger holds the decommission the tag of {@link #givenDecommissionTag} announces, decided an hour ago. */
    void givenDecommissionHeld() {
        ledger.hold(new Hold(Hold.Kind.DECOMMISSION, ARN, Instant.parse("2024-05-01T11:00:05Z"),
                Optional.of(Instant.parse("2024-05-01T20:00:00Z"))));
    }

    void givenDecommissionTag() {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse
                .builder().tags(Tag.builder().key(Decommission.TAG_KEY).value("2024-05-01T20:00:00Z").build()).build());
    }
}
