package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.tags.TagsRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.TagResourceResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The tags rule through the shared pipeline, over mocked clients: moto_server never throttles TagResource, answers
 * tags at once (DynamoDB's are eventually consistent for a few seconds) and has no CloudTrail LookupEvents, so the
 * throttled write, the tag that appears a moment late and the creator confirmed by CloudTrail are shown here.
 */
class TagsPipelineTest extends PipelineHarness {
    private static final Settings CREATOR = Settings.from(Map.of("TAG_CREATOR", "true")::get, Rules.settingNames());
    private static final Settings OWNER = Settings.from(Map.of("REQUIRED_TAGS", "owner")::get, Rules.settingNames());
    private static final String ALICE = "arn:aws:sts::123456789012:assumed-role/Developer/alice";

    private final ObjectNode created = TestEvents.event("CreateTable", "orders");

    private List<Result> run(Settings settings) {
        return process(new TagsRule(), settings, created, 0, TimeBudget.of(clock, Duration.ofMinutes(1), Duration.ZERO));
    }

    @Test
    void aThrottledTagResource_shouldBeRetriedWithBackoff_untilItLands() {
        givenReads(table("ACTIVE", true));
        givenTrailRecord(created);
        DynamoDbException throttled = (DynamoDbException) DynamoDbException.builder().statusCode(400).awsErrorDetails(
                AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build()).build();
        when(dynamo.tagResource(any(TagResourceRequest.class))).thenThrow(throttled, throttled)
                .thenReturn(TagResourceResponse.builder().build());

        List<Result> results = run(CREATOR);

        assertThat(results).singleElement().satisfies(result -> assertThat(result.action()).isEqualTo("TAGGED"));
        verify(dynamo, times(3)).tagResource(any(TagResourceRequest.class));
        assertThat(waits).as("the fix loop's waits between the throttled calls").hasSize(2);
        assertThat(waits.get(1)).isGreaterThan(waits.get(0));
        ArgumentCaptor<TagResourceRequest> sent = ArgumentCaptor.forClass(TagResourceRequest.class);
        verify(dynamo, times(3)).tagResource(sent.capture());
        assertThat(sent.getValue().tags()).containsExactlyInAnyOrder(Tag.builder().key(TagsRule.CREATED_BY).value(ALICE).build(),
                Tag.builder().key(TagsRule.CREATED_AT).value("2024-05-01T12:00:00Z").build());
        assertThat(publisher.published()).as("routine bookkeeping: recorded, not alerted").isEmpty();
        assertThat(results.get(0).alert()).isEqualTo(Remediation.ROUTINE);
        assertThat(ledger.entry(LedgerKey.of(TestEvents.EVENT_ID, TagsRule.RULE, ARN))).satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("TAGGED");
            assertThat(entry.alertStatus()).isEqualTo(LedgerEntry.AlertStatus.NONE);
            assertThat(entry.alert()).hasValueSatisfying(alert -> assertThat(alert.subject()).contains("[LOW]", "creator recorded"));
        });
    }

    @Test
    void aCreatorRecorded_shouldStayRecordedWithoutAnAlert_whenTheEventIsDeliveredAgain() {
        givenReads(table("ACTIVE", true));
        givenTrailRecord(created);

        List<Result> first = run(CREATOR);
        List<Result> again = run(CREATOR);

        assertThat(first).extracting(Result::action).containsExactly("TAGGED");
        assertThat(again).extracting(Result::action).containsExactly("ALREADY_HANDLED");
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void aCreatorRecordedOnATableThatLacksARequiredTag_shouldStillBeAlerted() {
        givenReads(table("ACTIVE", true));
        givenTrailRecord(created);
        Settings both = Settings.from(Map.of("TAG_CREATOR", "true", "REQUIRED_TAGS", "owner")::get, Rules.settingNames());

        List<Result> results = run(both);

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.action()).isEqualTo("TAGGED");
            assertThat(result.alert()).isEqualTo("sent");
        });
        assertThat(publisher.published()).singleElement().satisfies(alert -> assertThat(alert.subject())
                .contains("[LOW]", "required tags missing"));
    }

    @Test
    void tagsInNotifyMode_shouldWriteNoCreatorTag_andSayWhatItWouldRun() {
        givenReads(table("ACTIVE", true));
        givenTrailRecord(created);
        Settings notify = Settings.from(Map.of("TAG_CREATOR", "true", "RULE_MODES", "tags=notify")::get, Rules.settingNames());

        List<Result> results = run(notify);

        verify(dynamo, never()).tagResource(any(TagResourceRequest.class));
        assertThat(results).singleElement().satisfies(result -> assertThat(result.action()).isEqualTo("NOT_FIXED_NOTIFY_MODE"));
        assertThat(publisher.published()).singleElement().satisfies(alert -> assertThat(alert.body())
                .contains("RULE_MODES: tags=notify").contains("aws dynamodb tag-resource"));
    }

    @Test
    void aCreatorCloudTrailHasNotConfirmed_shouldNotBeTagged() {
        givenReads(table("ACTIVE", true));

        List<Result> results = run(CREATOR);

        verify(dynamo, never()).tagResource(any(TagResourceRequest.class));
        assertThat(results).singleElement().satisfies(result -> assertThat(result.action()).isEqualTo("COMPLIANT"));
    }

    @Test
    void aRequiredTagWrittenAMomentAfterTheTable_shouldBeFine() {
        givenReads(table("ACTIVE", true));
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(
                ListTagsOfResourceResponse.builder().build(),
                ListTagsOfResourceResponse.builder().tags(Tag.builder().key("owner").value("payments").build()).build());

        List<Result> results = run(OWNER);

        assertThat(results).singleElement().satisfies(result -> assertThat(result.action()).isEqualTo("COMPLIANT"));
        verify(dynamo, atLeast(2)).listTagsOfResource(any(ListTagsOfResourceRequest.class));
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void aRequiredTagStillMissingAfterTheReReads_shouldBeAlertedLow() {
        givenReads(table("ACTIVE", true));

        List<Result> results = run(OWNER);

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.severity()).isEqualTo("LOW");
            assertThat(result.action()).isEqualTo("ALERTED");
        });
        verify(dynamo, times(4)).listTagsOfResource(any(ListTagsOfResourceRequest.class));
        assertThat(publisher.published()).singleElement().satisfies(alert -> assertThat(alert.subject())
                .contains("required tags missing"));
    }
}
