package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.RefusedForNow;
import dev.ddbwarden.fix.StateMoved;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The fixes over a mocked client: moto answers UpdateTimeToLive at once every time, so DynamoDB's refusal of a
 * second change within the hour (a ValidationException, API Reference "UpdateTimeToLive") is shown here only.
 */
class TtlFixesTest {
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final Instant NOW = Instant.parse("2024-06-03T08:16:00Z");

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final List<Hold> holds = new ArrayList<>();
    private final DisableTtlFix disable = new DisableTtlFix(RegionalDynamo.single(dynamo));
    private final RecordDeclarationFix record = new RecordDeclarationFix(RegionalDynamo.single(dynamo), holds::add,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static TableState with(TtlRule.Ttl ttl) {
        return new TableState(ORDERS, "ACTIVE", Map.of()).withAugment(TtlRule.Ttl.class, ttl);
    }

    @Test
    void disable_shouldTurnTtlOff_overTheLiveAttribute() {
        when(dynamo.updateTimeToLive(any(UpdateTimeToLiveRequest.class))).thenReturn(UpdateTimeToLiveResponse.builder().build());

        Outcome outcome = disable.apply(new TtlRemedy.DisableTtl("createdAt"), with(new TtlRule.Ttl("ENABLED", "createdAt")));

        verify(dynamo).updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(ORDERS.arn())
                .timeToLiveSpecification(s -> s.enabled(false).attributeName("createdAt")).build());
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.after().orElseThrow().augment(TtlRule.Ttl.class)).contains(new TtlRule.Ttl("DISABLING", "createdAt"));
    }

    @Test
    void disable_shouldBeRefusedForNow_whenDynamoDbAnswersValidationException() {
        when(dynamo.updateTimeToLive(any(UpdateTimeToLiveRequest.class))).thenThrow(DynamoDbException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException")
                        .errorMessage("Time to live has been modified multiple times within a fixed interval").build())
                .statusCode(400).build());

        assertThatThrownBy(() -> disable.apply(new TtlRemedy.DisableTtl("createdAt"), with(new TtlRule.Ttl("ENABLED", "createdAt"))))
                .isInstanceOf(RefusedForNow.class).hasMessageContaining("modified multiple times").hasMessageContaining("an hour");
    }

    @Test
    void disable_shouldCallNothing_whenTtlIsAlreadyOff_andSayWhenTheTableIsGone() {
        assertThat(disable.apply(new TtlRemedy.DisableTtl("createdAt"), with(TtlRule.Ttl.OFF)).action())
                .isEqualTo(Outcome.Action.ALREADY_COMPLIANT);
        verify(dynamo, never()).updateTimeToLive(any(UpdateTimeToLiveRequest.class));

        when(dynamo.updateTimeToLive(any(UpdateTimeToLiveRequest.class)))
                .thenThrow(ResourceNotFoundException.builder().message("gone").build());
        assertThat(disable.apply(new TtlRemedy.DisableTtl("createdAt"), with(new TtlRule.Ttl("ENABLED", "createdAt"))).action())
                .isEqualTo(Outcome.Action.TABLE_GONE);
    }

    @Test
    void record_shouldHoldTheDeclaration_whileTheLiveTagStillSaysIt() {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder()
                .tags(Tag.builder().key(TtlRule.TAG_KEY).value("expiresAt").build()).build());

        Outcome outcome = record.apply(new TtlRemedy.RecordDeclaration("expiresAt"), with(TtlRule.Ttl.OFF));

        assertThat(holds).containsExactly(new Hold(Hold.Kind.TTL, ORDERS.arn(), NOW, Optional.empty(), Optional.of("expiresAt")));
        assertThat(outcome.after().orElseThrow().augment(Hold.Held.class).orElseThrow().of(Hold.Kind.TTL)).contains(holds.get(0));
    }

    @Test
    void record_shouldDecideAgain_whenTheTagChangedSinceTheCheck() {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder()
                .tags(Tag.builder().key(TtlRule.TAG_KEY).value("createdAt").build()).build());

        assertThatThrownBy(() -> record.apply(new TtlRemedy.RecordDeclaration("expiresAt"), with(TtlRule.Ttl.OFF)))
                .isInstanceOf(StateMoved.class);
        assertThat(holds).isEmpty();
    }
}
