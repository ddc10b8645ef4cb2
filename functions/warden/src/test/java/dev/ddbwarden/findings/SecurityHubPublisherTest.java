package dev.ddbwarden.findings;

import dev.ddbwarden.alert.AlertFacts;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestClock;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRemedy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ddbwarden.TestEvents.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityHubPublisherTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T12:00:00Z"));
    private final List<Alert> sent = new ArrayList<>();
    private static final String HOME_REGION = "us-east-1";
    private final List<ObjectNode> imported = new ArrayList<>();
    private final AlertPublisher sns = alert -> {
        sent.add(alert);
        return "message-" + sent.size();
    };

    private static Alert alert(Outcome outcome) {
        Finding finding = new Finding("deletion-protection", Severity.HIGH, TestEvents.table("orders"), "deletion protection off",
                "Deletion protection is off.", new DeletionProtectionRemedy.EnableDeletionProtection());
        return AlertComposer.compose(finding, TestEvents.call(sample("create-table-unprotected.json")), outcome);
    }

    private SecurityHubPublisher publisher(FindingsApi api) {
        return new SecurityHubPublisher(sns, new SecurityHubImports(api, clock, d -> clock.advance(d), m -> { }), clock, HOME_REGION);
    }

    private final FindingsApi recording = (account, region, batch) -> {
        imported.addAll(batch);
        return new FindingsApi.Imported(batch.size(), 0, List.of());
    };

    /** Where each batch was imported, as "account region". */
    private final List<String> places = new ArrayList<>();
    private final FindingsApi placing = (account, region, batch) -> {
        places.add(account + " " + region);
        return recording.batchImport(account, region, batch);
    };

    @Test
    void publish_shouldFileTheFindingFailed_andSendTheAlertUnchanged() {
        Alert alert = alert(new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, "Nothing was changed."));

        String id = publisher(recording).publish(alert);

        assertThat(id).isEqualTo("message-1");
        assertThat(sent).containsExactly(alert);
        assertThat(sent.get(0).body()).isEqualTo(alert.body());
        assertThat(imported).hasSize(1);
        assertThat(imported.get(0).path("Compliance").path("Status").asText()).isEqualTo("FAILED");
    }

    @Test
    void publish_shouldFileTheViolationThenItsEnd_underOneId_whenFixed() {
        publisher(recording).publish(alert(new Outcome(Outcome.Action.FIXED, "Turned deletion protection back on.")));

        assertThat(imported).hasSize(2);
        assertThat(imported.get(0).path("Id").asText()).isEqualTo(imported.get(1).path("Id").asText());
        assertThat(imported.get(0).path("RecordState").asText()).isEqualTo("ACTIVE");
        assertThat(imported.get(1).path("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(imported.get(1).path("Compliance").path("Status").asText()).isEqualTo("PASSED");
        assertThat(Instant.parse(imported.get(1).path("UpdatedAt").asText()))
                .isAfter(Instant.parse(imported.get(0).path("UpdatedAt").asText()));
        assertThat(sent).hasSize(1);
    }

    @Test
    void publish_shouldStillSendTheAlert_sayingSo_whenSecurityHubIsNotEnabled() {
        FindingsApi disabled = (account, region, batch) -> {
            throw new FindingsApi.Refused(401, "InvalidAccessException", "not subscribed");
        };

        publisher(disabled).publish(alert(new Outcome(Outcome.Action.ALERTED, "Nothing was changed.")));

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).body()).contains("Security Hub is not enabled in account " + TestEvents.ACCOUNT
                + " region us-east-1");
    }

    @Test
    void publish_shouldStillSendTheAlert_whenSecurityHubCannotBeReached() {
        FindingsApi down = (account, region, batch) -> {
            throw new java.io.IOException("Connection refused");
        };

        publisher(down).publish(alert(new Outcome(Outcome.Action.ALERTED, "Nothing was changed.")));

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).body()).contains("could not file this finding in Security Hub").contains("Connection refused");
    }

    @Test
    void publish_shouldFileNothing_forAnAlertWithoutFacts() {
        Alert summary = new Alert("[INFO] sweep", "done", Map.of());

        publisher(recording).publish(summary);

        assertThat(imported).isEmpty();
        assertThat(sent).containsExactly(summary);
    }

    @Test
    void compliant_shouldArchiveEachRulesFinding_inTheTablesAccountAndRegion() {
        String member = "arn:aws:dynamodb:eu-west-1:210987654321:table/ledger";

        publisher(placing).compliant(List.of(AlertPublisher.Compliant.table("ttl", TestEvents.table("orders").arn()),
                AlertPublisher.Compliant.table("ttl", member)));

        assertThat(places).containsExactly(TestEvents.ACCOUNT + " us-east-1", "210987654321 eu-west-1");
        assertThat(imported).allSatisfy(f -> assertThat(f.path("RecordState").asText()).isEqualTo("ARCHIVED"));
        assertThat(imported.get(1).path("Id").asText()).isEqualTo(Asff.id("ttl", member));
    }

    @Test
    void compliant_shouldArchiveAnotherResourcesFinding_inTheAccountAndRegionTheSweepNamed() {
        String user = "arn:aws:iam::210987654321:user/batch-loader";

        publisher(placing).compliant(List.of(new AlertPublisher.Compliant("iam-users", "IAM user", user, "eu-west-1", "210987654321"),
                new AlertPublisher.Compliant("iam-users", "IAM user", user, "", "210987654321")));

        assertThat(places).as("IAM's ARN names no region: filed in the home region, and a look naming none files none")
                .containsExactly("210987654321 " + HOME_REGION);
        assertThat(imported).singleElement().satisfies(f -> {
            assertThat(f.path("Id").asText()).isEqualTo(Asff.id("iam-users", user));
            assertThat(f.path("Resources").get(0).path("Type").asText()).isEqualTo("AwsIamUser");
            assertThat(f.path("RecordState").asText()).isEqualTo("ARCHIVED");
        });
    }

    @Test
    void aGlobalResourcesFinding_shouldBeFiledInTheHomeRegion_whereverItsEventCameFrom_soTheSweepClosesTheSameOne() {
        String user = "arn:aws:iam::210987654321:user/batch-loader";
        AlertFacts facts = new AlertFacts("iam-users", Severity.MEDIUM, "IAM user", user, "batch-loader", "210987654321",
                "eu-west-1", "aws", "IAM user reaches DynamoDB", "detail", "use a role", user, "GetItem",
                "dynamodb.amazonaws.com", "e1", "203.0.113.9", clock.instant(), false);
        SecurityHubPublisher publisher = publisher(placing);

        publisher.publish(new Alert("[MEDIUM] iam-users", "body", Map.of(), java.util.Optional.of(facts)));
        publisher.compliant(List.of(new AlertPublisher.Compliant("iam-users", "IAM user", user, HOME_REGION, "210987654321")));

        assertThat(places).containsExactly("210987654321 " + HOME_REGION, "210987654321 " + HOME_REGION);
        assertThat(imported).extracting(f -> f.path("Id").asText()).containsOnly(Asff.id("iam-users", user));
        assertThat(imported.get(0).path("ProductArn").asText()).contains(":securityhub:" + HOME_REGION + ":");
        assertThat(imported.get(0).path("Resources").get(0).path("Region").asText()).isEqualTo(HOME_REGION);
        assertThat(publisher.filedIn(TestEvents.table("orders").arn().replace("us-east-1", "eu-west-1"), "eu-west-1"))
                .as("a regional resource stays in its own region").isEqualTo("eu-west-1");
    }

    @Test
    void enabled_shouldBeOff_byDefault_andRefuseAnythingButTrueOrFalse() {
        assertThat(SecurityHubPublisher.enabled(Settings.from(name -> null))).isFalse();
        assertThat(SecurityHubPublisher.enabled(Settings.from(name -> "SECURITY_HUB_FINDINGS".equals(name) ? "true" : null, Set.of())))
                .isTrue();
        assertThatThrownBy(() -> SecurityHubPublisher.enabled(Settings.from(
                name -> "SECURITY_HUB_FINDINGS".equals(name) ? "yes" : null, Set.of())))
                .isInstanceOf(ConfigException.class);
    }
}
