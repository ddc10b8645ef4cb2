package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.ttl.TtlRule;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TimeBudget;
import dev.ddbwarden.state.TrailHistory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import dev.ddbwarden.event.JsonText;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The ttl rule through the shared pipeline, over mocked DynamoDB and SQS clients: moto turns TTL off whenever
 * asked, so DynamoDB's refusal of another UpdateTimeToLive within the hour (ValidationException, API Reference
 * "UpdateTimeToLive") and the re-checks it sends through the delayed queue are shown here, not against moto.
 */
class TtlPipelineTest extends PipelineHarness {
    private static final String ORDERS_EVENT = "update-time-to-live-enabled.json";
    private static final String EVENT = "8e2f4a6c-1b3d-4e5f-9a7b-0c1d2e3f4a5b";
    private static final Settings RECHECKS = Settings.from(Map.of(EnvVar.RECHECK_QUEUE_URL, QUEUE,
            EnvVar.RECHECK_DELAY_SECONDS, "900", EnvVar.MAX_RECHECKS, "3")::get, Rules.settingNames());
    private static final DynamoDbException REFUSED = (DynamoDbException) DynamoDbException.builder().awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ValidationException").errorMessage("Time to live has been modified multiple times within a fixed interval")
            .build()).statusCode(400).build();

    private final ObjectNode enabled = TestEvents.sample(ORDERS_EVENT);

    @BeforeEach
    void ttlOnOverCreatedAt() {
        givenReads(table("ACTIVE", true));
        when(dynamo.describeTimeToLive(any(DescribeTimeToLiveRequest.class))).thenReturn(DescribeTimeToLiveResponse.builder()
                .timeToLiveDescription(d -> d.timeToLiveStatus(TimeToLiveStatus.ENABLED).attributeName("createdAt")).build());
    }

    private List<Result> run(Settings settings, ObjectNode event, int attempt) {
        TtlRule rule = new TtlRule();
        FixContext context = new FixContext(RegionalDynamo.single(dynamo), ledger::hold, clock);
        Pipeline pipeline = new Pipeline(rule, rule.subjectLookup(context), settings,
                Spine.reader(rule, RegionalDynamo.single(dynamo), sleeper, ledger, settings), new Fixes(rule.fixes(context)), ledger, publisher,
                Optional.of(new Recheck(() -> sqs, settings.recheckQueueUrl(), settings.recheckDelaySeconds())),
                clock, sleeper, new TrailHistory((account, region) -> trail, sleeper));
        return pipeline.process(TestEvents.call(event), event, attempt, TimeBudget.of(clock, Duration.ofMinutes(1), Duration.ZERO));
    }

    private List<Integer> rechecksSent() {
        ArgumentCaptor<SendMessageRequest> sent = ArgumentCaptor.forClass(SendMessageRequest.class);
        verify(sqs, atLeastOnce()).sendMessage(sent.capture());
        return sent.getAllValues().stream().map(r -> TestEvents.tree(r.messageBody()).path(Recheck.ATTEMPT).asInt()).toList();
    }

    @Test
    void aRefusedFix_shouldAlertAtOnce_thenRetryFromTheQueue_untilItLands_andRedeliveriesChangeNothing() {
        when(dynamo.updateTimeToLive(any(UpdateTimeToLiveRequest.class))).thenThrow(REFUSED)
                .thenThrow(REFUSED).thenThrow(REFUSED)
                .thenReturn(UpdateTimeToLiveResponse.builder().build());

        // WHEN the event arrives seconds after TTL was turned on: DynamoDB refuses another change for now
        List<Result> first = run(RECHECKS, enabled, 0);

        // THEN the HIGH alert goes out at once, with the restore and the pending fix, and a re-check is queued
        assertThat(first).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("RETRYING"));
        Alert alert = publisher.published().get(0);
        assertThat(alert.subject()).startsWith("[HIGH] ddb-warden ttl: orders");
        assertThat(alert.body()).contains("DynamoDB refused the fix for now", "up to 3 more time(s)",
                "restore-table-to-point-in-time", "--restore-date-time 2024-06-03T08:15:41Z",
                "What to do: aws dynamodb update-time-to-live");
        assertThat(rechecksSent()).containsExactly(1);

        // WHEN the same event is delivered again, then the first re-check is refused too
        run(RECHECKS, enabled, 0);
        assertThat(run(RECHECKS, enabled, 1)).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("DEFERRED"));

        // THEN one alert still, and one re-check per attempt
        assertThat(publisher.published()).hasSize(1);
        assertThat(rechecksSent()).containsExactly(1, 2);

        // WHEN the second re-check finds DynamoDB willing
        assertThat(run(RECHECKS, enabled, 2)).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("FIXED"));

        // THEN TTL is off, recorded, without another alert; a re-delivered re-check does nothing more
        verify(dynamo, times(4)).updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(ARN)
                .timeToLiveSpecification(s -> s.enabled(false).attributeName("createdAt")).build());
        assertThat(ledger.find(LedgerKey.of(EVENT, TtlRule.RULE + "-retry", ARN))).get()
                .satisfies(e -> assertThat(e.action()).isEqualTo("FIXED"));
        assertThat(run(RECHECKS, enabled, 2)).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("ALREADY_HANDLED"));
        assertThat(publisher.published()).hasSize(1);
        assertThat(rechecksSent()).containsExactly(1, 2);
    }

    @Test
    void aFixRefusedThroughEveryRecheck_shouldEndInOneAlertThatItGaveUp() {
        when(dynamo.updateTimeToLive(any(UpdateTimeToLiveRequest.class))).thenThrow(REFUSED);

        run(RECHECKS, enabled, 0);
        run(RECHECKS, enabled, 1);
        run(RECHECKS, enabled, 2);
        List<Result> last = run(RECHECKS, enabled, 3);
        run(RECHECKS, enabled, 3);

        assertThat(last).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("GAVE_UP"));
        assertThat(rechecksSent()).containsExactly(1, 2, 3);
        assertThat(publisher.published()).hasSize(2);
        assertThat(publisher.published().get(1).body()).contains("refused the fix through every re-check ddb-warden had (3",
                "gave up", "What to do: aws dynamodb update-time-to-live");
    }

    @Test
    void aRecheck_shouldStop_whenTtlIsOffAlready() {
        when(dynamo.updateTimeToLive(any(UpdateTimeToLiveRequest.class))).thenThrow(REFUSED);
        run(RECHECKS, enabled, 0);
        when(dynamo.describeTimeToLive(any(DescribeTimeToLiveRequest.class))).thenReturn(DescribeTimeToLiveResponse.builder()
                .timeToLiveDescription(d -> d.timeToLiveStatus(TimeToLiveStatus.DISABLED).attributeName("createdAt")).build());

        assertThat(run(RECHECKS, enabled, 1)).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("ALREADY_COMPLIANT"));
        assertThat(rechecksSent()).containsExactly(1);
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void aTagTheLedgerHolds_shouldKeepTtlOn_readThroughTheRulesReader() {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder()
                .tags(Tag.builder().key(TtlRule.TAG_KEY).value("createdAt").build()).build());
        ledger.hold(new Hold(Hold.Kind.TTL, ARN, Instant.parse("2024-05-01T11:00:00Z"), Optional.empty(), Optional.of("createdAt")));

        assertThat(run(RECHECKS, enabled, 0)).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("COMPLIANT"));
        assertThat(publisher.published()).isEmpty();
    }

    /** sessions, just created with ddb-warden:ttl=expiresAt among its Tags, TTL off. */
    private void givenSessionsCreatedTagged() {
        String sessions = ARN.replace("table/orders", "table/sessions");
        when(dynamo.describeTable(any(DescribeTableRequest.class))).thenReturn(DescribeTableResponse.builder()
                .table(t -> t.tableName("sessions").tableArn(sessions).tableStatus("ACTIVE")).build());
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder()
                .tags(Tag.builder().key(TtlRule.TAG_KEY).value("expiresAt").build()).build());
        when(dynamo.describeTimeToLive(any(DescribeTimeToLiveRequest.class))).thenReturn(DescribeTimeToLiveResponse.builder()
                .timeToLiveDescription(d -> d.timeToLiveStatus(TimeToLiveStatus.DISABLED)).build());
    }

    /** CloudTrail's record under the event's ID is {@code recorded}'s own record. */
    private void givenTrailHolds(ObjectNode recorded) {
        when(trail.lookupEvents(any(LookupEventsRequest.class))).thenReturn(LookupEventsResponse.builder()
                .events(Event.builder().eventId(TestEvents.detail(recorded).path("eventID").asText())
                        .cloudTrailEvent(JsonText.write(TestEvents.detail(recorded))).build()).build());
    }

    private static Settings approving(String principal) {
        return Settings.from(Map.of(EnvVar.RECHECK_QUEUE_URL, QUEUE, EnvVar.RECHECK_DELAY_SECONDS, "900",
                EnvVar.MAX_RECHECKS, "3", EnvVar.APPROVED_PRINCIPALS, principal)::get, Rules.settingNames());
    }

    @Test
    void aTableCreatedWithTheTag_byAnApprovedPrincipalCloudTrailConfirms_shouldDeclareTtl_forALaterUpdateTimeToLive() {
        // GIVEN platform-admin, approved, created sessions tagged ddb-warden:ttl=expiresAt, and CloudTrail holds that record
        givenSessionsCreatedTagged();
        ObjectNode created = TestEvents.sample("create-table-ttl-declaration.json");
        givenTrailHolds(created);
        Settings adminApproved = approving("arn:aws:iam::123456789012:role/platform-admin");

        // WHEN the CreateTable event arrives
        List<Result> result = run(adminApproved, created, 0);

        // THEN the declaration is the ledger's, as a TagResource's would be
        assertThat(result).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("TAGGED"));
        assertThat(ledger.holdOn(Hold.Kind.TTL, ARN.replace("table/orders", "table/sessions")))
                .get().satisfies(h -> assertThat(h.value()).contains("expiresAt"));

        // WHEN TTL is then turned on over expiresAt by someone not approved
        when(dynamo.describeTimeToLive(any(DescribeTimeToLiveRequest.class))).thenReturn(DescribeTimeToLiveResponse.builder()
                .timeToLiveDescription(d -> d.timeToLiveStatus(TimeToLiveStatus.ENABLED).attributeName("expiresAt")).build());
        ObjectNode enabledOnSessions = TestEvents.sample(ORDERS_EVENT);
        TestEvents.request(enabledOnSessions).put("tableName", "sessions");
        ((ObjectNode) TestEvents.request(enabledOnSessions).path("timeToLiveSpecification")).put("attributeName", "expiresAt");

        // THEN TTL stays on: the table declared it when it was created
        assertThat(run(RECHECKS, enabledOnSessions, 0)).singleElement()
                .satisfies(r -> assertThat(r.action()).isEqualTo("COMPLIANT"));
        verify(dynamo, times(0)).updateTimeToLive(any(UpdateTimeToLiveRequest.class));
    }

    @Test
    void aTableCreatedWithTheTag_byAnOrdinaryPrincipal_orAClaimCloudTrailNeverConfirms_shouldDeclareNothing() {
        givenSessionsCreatedTagged();
        ObjectNode created = TestEvents.sample("create-table-ttl-declaration.json");
        String sessions = ARN.replace("table/orders", "table/sessions");

        // An ordinary principal: the tag is ignored, MEDIUM
        assertThat(run(RECHECKS, created, 0)).singleElement().satisfies(r -> assertThat(r.severity()).isEqualTo("MEDIUM"));
        assertThat(ledger.holdOn(Hold.Kind.TTL, sessions)).isEmpty();

        // Approved, but CloudTrail has no record: deferred, then at the last re-check decided as unapproved
        Settings adminApproved = approving("arn:aws:iam::123456789012:role/platform-admin");
        ObjectNode again = created.deepCopy();
        TestEvents.detail(again).put("eventID", "9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a");
        assertThat(run(adminApproved, again, 0)).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("DEFERRED"));
        assertThat(run(adminApproved, again, 3)).singleElement().satisfies(r -> assertThat(r.severity()).isEqualTo("MEDIUM"));
        assertThat(ledger.holdOn(Hold.Kind.TTL, sessions)).isEmpty();
    }

    @Test
    void aRecheckOfARefusedFix_shouldNotHonourAnApprovalTheFirstRunDidNotConfirm() {
        when(dynamo.updateTimeToLive(any(UpdateTimeToLiveRequest.class))).thenThrow(REFUSED);
        run(RECHECKS, enabled, 0);
        Settings developerApproved = Settings.from(Map.of(EnvVar.RECHECK_QUEUE_URL, QUEUE, EnvVar.RECHECK_DELAY_SECONDS, "900",
                EnvVar.MAX_RECHECKS, "3", EnvVar.APPROVED_PRINCIPALS, "arn:aws:iam::123456789012:role/developer")::get,
                Rules.settingNames());

        assertThat(run(developerApproved, enabled, 1)).singleElement().satisfies(r -> assertThat(r.action()).isEqualTo("DEFERRED"));
        assertThat(rechecksSent()).containsExactly(1, 2);
    }
}
