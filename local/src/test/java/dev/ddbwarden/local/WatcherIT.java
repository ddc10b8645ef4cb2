package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.watcher.WatcherHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WatcherHandler against moto_server on loopback: the ledger, and SNS delivering its alerts
 * to an SQS inbox. The watcher reads none of the resources it reports, so the events in events/ name
 * a stack (ddb-warden) that moto does not need to hold.
 */
class WatcherIT {
    private static final String DEPLOYER = "arn:aws:iam::123456789012:role/ddb-warden-deployer";
    /** What the template tells the watcher about the alert key, locally. */
    private static final Map<String, String> TOLD_THE_KEY =
            Map.of("ALERT_KEY_ARN", TemplateValues.alertKeyArn(LocalAws.REGION, LocalAws.ACCOUNT));
    private Harness harness;

    @AfterAll
    static void everyCallTheWatcherMade_shouldBeGrantedToItsRole() throws Exception {
        Template template = Project.template();
        Set<String> granted = new HashSet<>();
        template.roleStatements("WatcherRole")
                .forEach(s -> Template.list(s.get("Action")).forEach(a -> granted.add(String.valueOf(a))));
        Set<String> made = new HashSet<>(RecordingInterceptor.calls(WatcherHandler.FUNCTION));
        assertThat(made).contains("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "sns:Publish");
        assertThat(granted).containsAll(made);
    }

    @BeforeEach
    void setUp() {
        harness = new Harness();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void stopLogging_shouldAlertCritical_andRecordTheAlertAsSent() throws Exception {
        // WHEN someone stops the trail
        JsonNode result = Harness.invoke(harness.watcher(Map.of()), Project.event("watch-stop-logging.json"));

        // THEN one CRITICAL alert reached the inbox, with what, who and how to undo
        assertThat(result.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.path("Subject").asText())
                .isEqualTo("[CRITICAL] ddb-warden watcher: trail management-events stopped logging (us-east-1)");
        assertThat(alert.path("Message").asText())
                .contains("arn:aws:sts::123456789012:assumed-role/developer/mallory")
                .contains("198.51.100.23")
                .contains("aws cloudtrail start-logging --name management-events");
        assertThat(alert.at("/MessageAttributes/severity/Value").asText()).isEqualTo("CRITICAL");
        assertThat(alert.at("/MessageAttributes/rule/Value").asText()).isEqualTo("watcher");
        // AND the ledger holds it, sent
        List<Map<String, AttributeValue>> ledger = harness.estate.ledgerItems();
        assertThat(ledger).hasSize(1);
        assertThat(ledger.get(0).get("subject").s())
                .isEqualTo("watcher#arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events");
        assertThat(ledger.get(0).get("alertStatus").s()).isEqualTo("SENT");
    }

    @Test
    void replay_shouldSendNoSecondAlert() throws Exception {
        WatcherHandler watcher = harness.watcher(Map.of());
        Harness.invoke(watcher, Project.event("watch-delete-rule.json"));

        JsonNode replay = Harness.invoke(watcher, Project.event("watch-delete-rule.json"));

        assertThat(replay.at("/results/0/action").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(harness.estate.drainAlerts()).hasSize(1);
    }

    @Test
    void twinRulesDeliveringAtOnce_shouldMakeOneAlert() throws Exception {
        // GIVEN the two events rules (and EventBridge's at-least-once) delivering one event eight times at once
        WatcherHandler watcher = harness.watcher(Map.of());
        String event = Project.event("watch-delete-rule.json");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<JsonNode>> deliveries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            deliveries.add(() -> Harness.invoke(watcher, event));
        }

        // WHEN
        List<String> alerts = new ArrayList<>();
        for (Future<JsonNode> result : pool.invokeAll(deliveries)) {
            alerts.add(result.get().at("/results/0/alert").asText());
        }
        pool.shutdown();

        // THEN
        assertThat(alerts).filteredOn("sent"::equals).hasSize(1);
        assertThat(harness.estate.drainAlerts()).hasSize(1);
    }

    @Test
    void deployersCall_shouldAlertLow() throws Exception {
        JsonNode result = Harness.invoke(harness.watcher(Map.of("DEPLOYMENT_ROLE_ARN", DEPLOYER)),
                Project.event("watch-deployer-update-function-code.json"));

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("LOW");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("Subject").asText())
                .isEqualTo("[LOW] ddb-warden watcher: function ddb-warden-public-access code replaced (us-east-1)");
        assertThat(alerts.get(0).path("Message").asText()).contains("deployment role").contains(DEPLOYER);
    }

    @Test
    void deployersCall_shouldBeCritical_whenNoDeploymentRoleIsConfigured() throws Exception {
        JsonNode result = Harness.invoke(harness.watcher(Map.of()), Project.event("watch-deployer-update-function-code.json"));

        assertThat(result.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "watch-update-function-configuration.json | function ddb-warden-deletion-protection reconfigured",
            "watch-put-function-concurrency.json | function ddb-warden-region-guard concurrency reserved",
            "watch-delete-event-source-mapping.json | function ddb-ward...tection event source mapping deleted",
            "watch-unsubscribe.json | alert topic ddb-warden...CdEf123456 subscription removed",
            "watch-put-role-policy.json | role ddb-warden-De...ctionRole-XYZ inline policy written",
            "watch-ledger-delete-table.json | ledger ddb-warden-Ledger-ABC123 deleted"})
    void everyWatchedSample_shouldMakeOneCriticalAlert(String file, String what) throws Exception {
        JsonNode result = Harness.invoke(harness.watcher(Map.of()), Project.event(file));

        assertThat(result.at("/results/0/alert").asText()).isEqualTo("sent");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).extracting(a -> a.path("Subject").asText())
                .containsExactly("[CRITICAL] ddb-warden watcher: " + what + " (us-east-1)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "watch-update-alias.json | arn:aws:lambda:us-east-1:123456789012:function:ddb-warden-deletion-protection",
            "watch-delete-alias.json | arn:aws:lambda:us-east-1:123456789012:function:ddb-warden-region-guard",
            "watch-publish-version.json | arn:aws:lambda:us-east-1:123456789012:function:ddb-warden-public-access",
            "watch-remove-permission.json | arn:aws:lambda:us-east-1:123456789012:function:ddb-warden-deletion-protection",
            "watch-put-function-event-invoke-config.json | arn:aws:lambda:us-east-1:123456789012:function:ddb-warden-watcher",
            "watch-create-event-source-mapping.json | arn:aws:sqs:us-east-1:123456789012:ddb-warden-RecheckQueue-QRS789",
            "watch-update-event-source-mapping-moved.json | arn:aws:sqs:us-east-1:123456789012:ddb-warden-PublicAccessRecheckQueue-LMN456",
            "watch-purge-queue.json | arn:aws:sqs:us-east-1:123456789012:ddb-warden-FailureQueue-DEF456",
            "watch-delete-queue.json | arn:aws:sqs:us-east-1:123456789012:ddb-warden-EventDeadLetterQueue-GHI789",
            "watch-set-queue-attributes.json | arn:aws:sqs:us-east-1:123456789012:ddb-warden-FailureQueue-DEF456",
            "watch-remove-queue-permission.json | arn:aws:sqs:us-east-1:123456789012:ddb-warden-EventDeadLetterQueue-GHI789",
            "watch-add-queue-permission.json | arn:aws:sqs:us-east-1:123456789012:ddb-warden-FailureQueue-DEF456",
            "watch-disable-key.json | arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
            "watch-schedule-key-deletion.json | arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
            "watch-put-key-policy.json | arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
            "watch-put-data-protection-policy.json | arn:aws:sns:us-east-1:123456789012:ddb-warden-AlertTopic-AbCdEf123456",
            "watch-update-schedule.json | arn:aws:scheduler:us-east-1:123456789012:schedule/default/ddb-warden-sweep",
            "watch-update-state-machine.json | arn:aws:states:us-east-1:123456789012:stateMachine:ddb-warden-sweep"})
    void everyDeliveryPathSample_shouldMakeOneCriticalAlert_onItsResource(String file, String resource) throws Exception {
        // GIVEN the watcher told the alert key's ARN, as the template tells it
        WatcherHandler watcher = harness.watcher(TOLD_THE_KEY);

        // WHEN
        JsonNode result = Harness.invoke(watcher, Project.event(file));

        // THEN
        assertThat(result.at("/results/0/table").asText()).isEqualTo(resource);
        assertThat(result.at("/results/0/severity").asText()).isEqualTo("CRITICAL");
        assertThat(result.at("/results/0/alert").asText()).isEqualTo("sent");
        assertThat(harness.estate.drainAlerts()).extracting(a -> a.at("/MessageAttributes/severity/Value").asText())
                .containsExactly("CRITICAL");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"watch-purge-queue-other.json", "watch-disable-key-other.json"})
    void someoneElsesQueueOrKey_shouldMakeNoAlert(String file) throws Exception {
        WatcherHandler watcher = harness.watcher(TOLD_THE_KEY);

        JsonNode result = Harness.invoke(watcher, Project.event(file));

        assertThat(result.path("ignored").asText()).contains("leaves ddb-warden's stack ddb-warden alone");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void someoneElsesRule_shouldMakeNoAlert_andNoCall() throws Exception {
        int callsBefore = RecordingInterceptor.calls().size();

        JsonNode result = Harness.invoke(harness.watcher(Map.of()), Project.event("watch-disable-rule-other.json"));

        assertThat(result.path("ignored").asText()).contains("leaves ddb-warden's stack ddb-warden alone");
        assertThat(RecordingInterceptor.calls()).hasSize(callsBefore);
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void ledgerGone_shouldStillAlert() throws Exception {
        // GIVEN the ledger deleted, as the event reports (moto enforces no protection on a table we made unprotected)
        harness.estate.dynamo().deleteTable(r -> r.tableName(LocalEstate.LEDGER));

        JsonNode result = Harness.invoke(harness.watcher(Map.of()), Project.event("watch-ledger-delete-table.json"));

        assertThat(result.at("/results/0/alert").asText()).isEqualTo("sent without ledger");
        assertThat(harness.estate.drainAlerts()).hasSize(1);
    }
}
