package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.ledger.NoLedger;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.APPROVED_ROLE;
import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.eventBy;
import static dev.ddbwarden.TestEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

/**
 * ddb-warden's tags keep the deletion-protection rule away from a table only where its ledger backs them
 * (issue 14, item 4); any other such tag is ignored and alerted once per table, tag and value. The sweep
 * runs this same pipeline, so it applies the same rule (SweepIT shows it against moto_server).
 */
class TagExemptionTest extends PipelineHarness {
    private static final String IGNORED = "[HIGH] ddb-warden deletion-protection: orders (us-east-1) - exemption tag ignored";

    private void givenTags(Map<String, String> tags) {
        when(dynamo.listTagsOfResource(any(ListTagsOfResourceRequest.class))).thenReturn(ListTagsOfResourceResponse.builder()
                .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())
                .build());
    }

    /** Two different events on the unprotected table: each is fixed, and the tag is reported once. */
    private List<Result> twoEvents() {
        givenReads(table("ACTIVE", false));
        List<Result> first = process(event("UpdateTable", "orders"));
        ObjectNode second = event("UpdateTable", "orders");
        detail(second).put("eventID", "second-event");
        List<Result> both = new java.util.ArrayList<>(first);
        both.addAll(process(second));
        return both;
    }

    private List<String> subjects() {
        return publisher.published().stream().map(Alert::subject).toList();
    }

    @Test
    void quarantineTag_shouldBeIgnoredAndAlertedOnce_whenTheLedgerHoldsNoQuarantine() {
        givenTags(Map.of(QuarantineStatement.TAG_KEY, "by hand"));

        List<Result> results = twoEvents();

        assertThat(results).extracting(Result::action).containsExactly("FIXED", "FIXED");
        assertThat(subjects()).filteredOn(IGNORED::equals).hasSize(1);
        assertThat(publisher.published()).filteredOn(a -> a.subject().equals(IGNORED)).singleElement()
                .satisfies(a -> assertThat(a.body()).contains("ddb-warden:quarantine=by hand")
                        .contains("ledger holds no quarantine decision").contains("lookup-events"));
    }

    @Test
    void quarantineTag_shouldBeIgnoredAndAlertedOnce_whenThePolicyLacksTheStatement() {
        givenTags(Map.of(QuarantineStatement.TAG_KEY, "forbidden region"));
        ledger.hold(new Hold(Hold.Kind.QUARANTINE, ARN, Instant.parse("2024-04-01T00:00:00Z"), Optional.empty()));

        List<Result> results = twoEvents();

        assertThat(results).extracting(Result::action).containsExactly("FIXED", "FIXED");
        assertThat(subjects()).filteredOn(IGNORED::equals).hasSize(1);
    }

    @Test
    void quarantine_shouldKeepTheRuleAway_whenTagStatementAndLedgerAgree() {
        givenTags(Map.of(QuarantineStatement.TAG_KEY, "forbidden region"));
        ledger.hold(new Hold(Hold.Kind.QUARANTINE, ARN, Instant.parse("2024-04-01T00:00:00Z"), Optional.empty()));
        when(dynamo.getResourcePolicy(any(GetResourcePolicyRequest.class))).thenReturn(GetResourcePolicyResponse.builder()
                .policy(QuarantineStatement.addedTo(Optional.empty(), List.of(ARN),
                        QuarantineStatement.spared(dev.ddbwarden.TestEvents.table("orders"), List.of())))
                .revisionId("1").build());
        givenReads(table("ACTIVE", false));

        assertThat(process(event("UpdateTable", "orders"))).containsExactly(Result.skipped(RULE, ARN, "SKIPPED_QUARANTINED"));
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void decommissionTag_shouldBeIgnoredAndAlertedOnce_whenTheLedgerHoldsNoDecommission() {
        givenDecommissionTag();

        List<Result> results = twoEvents();

        assertThat(results).extracting(Result::action).containsExactly("FIXED", "FIXED");
        assertThat(publisher.published()).filteredOn(a -> a.subject().equals(IGNORED)).singleElement()
                .satisfies(a -> assertThat(a.body()).contains("no decommission decision"));
    }

    @Test
    void decommissionTag_shouldBeIgnoredAndAlertedOnce_whenItsDateIsLaterThanTheLedgers() {
        givenTags(Map.of(Decommission.TAG_KEY, "2024-06-01T00:00:00Z"));
        givenDecommissionHeld();

        List<Result> results = twoEvents();

        assertThat(results).extracting(Result::action).containsExactly("FIXED", "FIXED");
        assertThat(publisher.published()).filteredOn(a -> a.subject().equals(IGNORED)).singleElement()
                .satisfies(a -> assertThat(a.body()).contains("later than the decommission ddb-warden decided"));
    }

    @Test
    void decommission_shouldHoldInTheLedgerAndKeepLaterEventsAway_whenConfirmed() {
        ObjectNode decommission = eventBy(APPROVED_ROLE, "UpdateTable", "orders");
        request(decommission).put("deletionProtectionEnabled", false);
        givenTrailRecord(decommission);
        givenReads(table("ACTIVE", false));

        assertThat(process(decommission)).extracting(Result::action).containsExactly("TAGGED");
        Hold held = ledger.holdOn(Hold.Kind.DECOMMISSION, ARN).orElseThrow();
        assertThat(held.until()).contains(Instant.parse("2024-05-02T12:00:05Z"));

        givenTags(Map.of(Decommission.TAG_KEY, "2024-05-02T12:00:05Z"));
        ObjectNode later = event("UpdateTable", "orders");
        detail(later).put("eventID", "later-event");
        assertThat(process(later)).containsExactly(Result.skipped(RULE, ARN, "SKIPPED_DECOMMISSIONING"));
    }

    /** Without a ledger the decommission stands on its own event, and its tag exempts nothing later. */
    @Test
    void decommissionTag_shouldExemptNothingLater_whenThereIsNoLedger() {
        ObjectNode decommission = eventBy(APPROVED_ROLE, "UpdateTable", "orders");
        request(decommission).put("deletionProtectionEnabled", false);
        givenTrailRecord(decommission);
        givenReads(table("ACTIVE", false));
        TimeBudget budget = TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO);
        Settings settings = Settings.from(Map.of(EnvVar.APPROVED_PRINCIPALS, APPROVED_ROLE)::get);
        NoLedger none = new NoLedger();

        assertThat(process(new DeletionProtectionRule(), settings, none, decommission, 0, budget))
                .extracting(Result::action).containsExactly("TAGGED");

        givenTags(Map.of(Decommission.TAG_KEY, "2024-05-02T12:00:05Z"));
        ObjectNode later = event("UpdateTable", "orders");
        detail(later).put("eventID", "later-event");
        assertThat(process(new DeletionProtectionRule(), settings, none, later, 0, budget))
                .extracting(Result::action).containsExactly("FIXED");
    }
}
