package dev.ddbwarden.watcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.ApiCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;
import dev.ddbwarden.check.Severity;

import static dev.ddbwarden.WatcherEvents.DEPLOYER_ROLE;
import static dev.ddbwarden.WatcherEvents.DEVELOPER_ROLE;
import static dev.ddbwarden.WatcherEvents.EVENT_ID;
import static dev.ddbwarden.WatcherEvents.STACK;
import static dev.ddbwarden.WatcherEvents.by;
import static dev.ddbwarden.WatcherEvents.call;
import static dev.ddbwarden.WatcherEvents.detail;
import static dev.ddbwarden.WatcherEvents.event;
import static dev.ddbwarden.WatcherEvents.in;
import static org.assertj.core.api.Assertions.assertThat;

/** The watcher's classifier on calls built inline: what is ddb-warden's, what is not, and how severe. */
class WatcherTest {
    private static final Watched WATCHED = new Watched(STACK, "aws", "us-east-1", DEPLOYER_ROLE);
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ddb-warden-AlertTopic-AbCdEf123456";
    private static final String LEDGER = "ddb-warden-Ledger-ABC123";
    private static final String LEDGER_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/" + LEDGER;
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:ddb-warden-deletion-protection";

    private static Optional<Tampering> classify(ApiCall call) {
        return Watcher.classify(call, WATCHED);
    }

    @Test
    void stopLogging_shouldBeCritical_onAnyTrail_namedByArn() {
        // GIVEN StopLogging on someone's trail, named by ARN as the console does
        ApiCall call = call("cloudtrail", "StopLogging",
                "{\"name\": \"arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events\"}");

        // WHEN
        Tampering tampering = classify(call).orElseThrow();

        // THEN
        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(tampering.resource()).isEqualTo("arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events");
        assertThat(tampering.what()).isEqualTo("trail management-events stopped logging");
        assertThat(tampering.undo()).isEqualTo("aws cloudtrail start-logging --name management-events\n  Run it as "
                + DEPLOYER_ROLE + " (DeploymentRoleArn) or a security role: where protect-ddb-warden.json is attached,"
                + " it refuses these changes on ddb-warden's resources to everyone else.");
        assertThat(tampering.check()).contains("get-trail-status --name management-events");
        assertThat(tampering.why()).contains("blind");
    }

    @Test
    void putEventSelectors_shouldNameTheTrail_fromTrailName() {
        ApiCall call = call("cloudtrail", "PutEventSelectors",
                "{\"trailName\": \"org-trail\", \"eventSelectors\": [{\"readWriteType\": \"ReadOnly\"}]}");

        Tampering tampering = classify(call).orElseThrow();

        assertThat(tampering.what()).isEqualTo("trail org-trail event selectors changed");
        assertThat(tampering.undo()).contains("--trail-name org-trail").contains("IncludeManagementEvents");
    }

    @Test
    void deleteRule_shouldBeCritical_withTheRuleArn() {
        ApiCall call = call("events", "DeleteRule", "{\"name\": \"ddb-warden-deletion-protection\"}");

        Tampering tampering = classify(call).orElseThrow();

        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(tampering.resource()).isEqualTo("arn:aws:events:us-east-1:123456789012:rule/ddb-warden-deletion-protection");
        assertThat(tampering.what()).isEqualTo("rule ddb-warden-deletion-protection deleted");
    }

    @Test
    void removeTargets_shouldReadTheRuleField() {
        ApiCall call = call("events", "RemoveTargets", "{\"rule\": \"ddb-warden-watch-events\", \"ids\": [\"WatcherFunction\"]}");

        assertThat(classify(call)).map(Tampering::what).contains("rule ddb-warden-watch-events targets removed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "someone else's rule, '{\"name\": \"billing-nightly-export\"}'",
            "a rule of another stack sharing no prefix, '{\"name\": \"ddb-wardens-rule\"}'",
            "our name on a custom bus, '{\"name\": \"ddb-warden-deletion-protection\", \"eventBusName\": \"orders-bus\"}'",
            "no name at all, '{}'"})
    void disableRule_shouldBeIgnored_whenTheRuleIsNotOurs(String why, String request) {
        assertThat(classify(call("events", "DisableRule", request))).as(why).isEmpty();
    }

    @Test
    void disableRule_shouldBeCritical_onTheDefaultBusNamedByArn() {
        ApiCall call = call("events", "DisableRule",
                "{\"name\": \"ddb-warden-table-appeared\", \"eventBusName\": \"arn:aws:events:us-east-1:123456789012:event-bus/default\"}");

        assertThat(classify(call)).map(Tampering::undo).get().asString()
                .startsWith("aws events enable-rule --name ddb-warden-table-appeared\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UpdateFunctionConfiguration", "UpdateFunctionConfiguration20150331",
            "UpdateFunctionConfiguration20150331v2"})
    void updateFunctionConfiguration_shouldMatch_withOrWithoutTheApiVersion(String eventName) {
        ApiCall call = call("lambda", eventName, "{\"functionName\": \"ddb-warden-deletion-protection\"}");

        Tampering tampering = classify(call).orElseThrow();

        assertThat(tampering.resource()).isEqualTo(FUNCTION_ARN);
        assertThat(tampering.what()).isEqualTo("function ddb-warden-deletion-protection reconfigured");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ddb-warden-deletion-protection", "ddb-warden-deletion-protection:live", FUNCTION_ARN,
            FUNCTION_ARN + ":3", "123456789012:function:ddb-warden-deletion-protection"})
    void deleteFunction_shouldRecogniseOurFunction_howeverItIsNamed(String named) {
        ApiCall call = call("lambda", "DeleteFunction20150331", "{\"functionName\": \"" + named + "\"}");

        assertThat(classify(call)).map(Tampering::resource).contains(FUNCTION_ARN);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"orders-api", "arn:aws:lambda:us-east-1:999988887777:function:ddb-warden-deletion-protection",
            "arn:aws:lambda:eu-west-1:123456789012:function:ddb-warden-deletion-protection",
            "999988887777:function:ddb-warden-deletion-protection"})
    void deleteFunction_shouldBeIgnored_forAnyOtherFunction(String named) {
        assertThat(classify(call("lambda", "DeleteFunction20150331", "{\"functionName\": \"" + named + "\"}"))).isEmpty();
    }

    @Test
    void versionedName_shouldMatchItsOwnRow_notAShorterActionsRow() {
        // DeleteFunctionConcurrency20171031 starts with DeleteFunction, but is not DeleteFunction plus a version
        ApiCall concurrency = call("lambda", "DeleteFunctionConcurrency20171031", "{\"functionName\": \"ddb-warden-watcher\"}");
        ApiCall url = call("lambda", "DeleteFunctionUrlConfig", "{\"functionName\": \"ddb-warden-watcher\"}");

        assertThat(classify(concurrency)).map(Tampering::what).contains("function ddb-warden-watcher reserved concurrency removed");
        assertThat(classify(url)).isEmpty();
    }

    @Test
    void deleteEventSourceMapping_shouldFindTheFunction_inTheResponse() {
        ObjectNode event = event("lambda", "DeleteEventSourceMapping20150331", "{\"uUID\": \"6d1f2a3b\"}");
        detail(event).putObject("responseElements").put("uUID", "6d1f2a3b").put("functionArn", FUNCTION_ARN);

        assertThat(classify(call(event))).map(Tampering::what)
                .contains("function ddb-warden-deletion-protection event source mapping deleted");
    }

    @Test
    void unsubscribe_shouldNameTheSubscription_andTellHowToResubscribeToItsTopic() {
        String subscription = TOPIC + ":0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f";

        Tampering tampering = classify(call("sns", "Unsubscribe", "{\"subscriptionArn\": \"" + subscription + "\"}")).orElseThrow();

        assertThat(tampering.resource()).isEqualTo(subscription);
        assertThat(tampering.what()).isEqualTo("alert topic ddb-warden-AlertTopic-AbCdEf123456 subscription removed");
        assertThat(tampering.undo()).contains("aws sns subscribe --topic-arn " + TOPIC + " ");
        assertThat(tampering.check()).contains("list-subscriptions-by-topic --topic-arn " + TOPIC);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arn:aws:sns:us-east-1:123456789012:orders-events",
            "arn:aws:sns:eu-west-1:123456789012:ddb-warden-AlertTopic-AbCdEf123456",
            "arn:aws:sns:us-east-1:999988887777:ddb-warden-AlertTopic-AbCdEf123456"})
    void deleteTopic_shouldBeIgnored_forAnyOtherTopic(String topic) {
        assertThat(classify(call("sns", "DeleteTopic", "{\"topicArn\": \"" + topic + "\"}"))).isEmpty();
    }

    @Test
    void putRolePolicy_shouldBeCritical_evenWhenIamReportsFromAnotherRegionThanOurs() {
        // IAM is global: its events come from us-east-1 whatever region ddb-warden runs in
        Watched inIreland = new Watched(STACK, "aws", "eu-west-1", "");
        ApiCall call = call("iam", "PutRolePolicy", "{\"roleName\": \"ddb-warden-DeletionProtectionRole-XYZ\", \"policyName\": \"x\"}");

        Tampering tampering = Watcher.classify(call, inIreland).orElseThrow();

        assertThat(tampering.resource()).isEqualTo("ddb-warden-DeletionProtectionRole-XYZ");
        assertThat(tampering.what()).isEqualTo("role ddb-warden-DeletionProtectionRole-XYZ inline policy written");
    }

    @Test
    void putRolePolicy_shouldBeIgnored_onSomeoneElsesRole() {
        assertThat(classify(call("iam", "PutRolePolicy", "{\"roleName\": \"developer\"}"))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "DeleteTable | {\"tableName\": \"ddb-warden-Ledger-ABC123\"}",
            "DeleteTable | {\"tableName\": \"arn:aws:dynamodb:us-east-1:123456789012:table/ddb-warden-Ledger-ABC123\"}",
            "UpdateTable | {\"tableName\": \"ddb-warden-Ledger-ABC123\", \"deletionProtectionEnabled\": false}",
            "UpdateTimeToLive | {\"tableName\": \"ddb-warden-Ledger-ABC123\", \"timeToLiveSpecification\": {\"enabled\": true, \"attributeName\": \"ttl\"}}",
            "UpdateContinuousBackups | {\"tableName\": \"ddb-warden-Ledger-ABC123\", \"pointInTimeRecoverySpecification\": {\"pointInTimeRecoveryEnabled\": false}}",
            "PutResourcePolicy | {\"resourceArn\": \"arn:aws:dynamodb:us-east-1:123456789012:table/ddb-warden-Ledger-ABC123\", \"policy\": \"{}\"}",
            "DeleteResourcePolicy | {\"resourceArn\": \"arn:aws:dynamodb:us-east-1:123456789012:table/ddb-warden-Ledger-ABC123\"}"})
    void callThatCouldEraseTheLedger_shouldBeCritical(String eventName, String request) {
        Tampering tampering = classify(call("dynamodb", eventName, request)).orElseThrow();

        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(tampering.resource()).isEqualTo(LEDGER_ARN);
        assertThat(tampering.what()).contains("ledger " + LEDGER);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "UpdateTable | {\"tableName\": \"ddb-warden-Ledger-ABC123\", \"deletionProtectionEnabled\": true}",
            "UpdateTable | {\"tableName\": \"ddb-warden-Ledger-ABC123\", \"billingMode\": \"PROVISIONED\"}",
            "UpdateTimeToLive | {\"tableName\": \"ddb-warden-Ledger-ABC123\", \"timeToLiveSpecification\": {\"enabled\": false}}",
            "UpdateContinuousBackups | {\"tableName\": \"ddb-warden-Ledger-ABC123\", \"pointInTimeRecoverySpecification\": {\"pointInTimeRecoveryEnabled\": true}}",
            "DeleteTable | {\"tableName\": \"orders\"}",
            "DeleteTable | {\"tableName\": \"arn:aws:dynamodb:us-east-1:999988887777:table/ddb-warden-Ledger-ABC123\"}",
            "CreateTable | {\"tableName\": \"ddb-warden-Ledger-ABC123\"}"})
    void harmlessOrForeignTableCall_shouldBeIgnored(String eventName, String request) {
        assertThat(classify(call("dynamodb", eventName, request))).isEmpty();
    }

    @Test
    void ledgerNamedInAnotherRegion_shouldBeIgnored_forwardedEventsIncluded() {
        // The forwarder brings other regions' DynamoDB events home; a same-named table there is not our ledger
        ObjectNode event = in(event("dynamodb", "DeleteTable", "{\"tableName\": \"ddb-warden-Ledger-ABC123\"}"), "ap-southeast-2");

        assertThat(classify(call(event))).isEmpty();
    }

    @Test
    void callByTheDeploymentRole_shouldBeLow() {
        ObjectNode event = by(event("lambda", "UpdateFunctionCode20150331v2", "{\"functionName\": \"ddb-warden-public-access\"}"),
                DEPLOYER_ROLE);

        Tampering tampering = classify(call(event)).orElseThrow();

        assertThat(tampering.severity()).isEqualTo(Severity.LOW);
        assertThat(tampering.byDeployer()).isTrue();
    }

    @Test
    void callByTheDeploymentRole_shouldBeCritical_whenNoDeploymentRoleIsSet() {
        ObjectNode event = by(event("lambda", "UpdateFunctionCode20150331v2", "{\"functionName\": \"ddb-warden-public-access\"}"),
                DEPLOYER_ROLE);

        Tampering tampering = Watcher.classify(call(event), new Watched(STACK, "aws", "us-east-1", "")).orElseThrow();

        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(tampering.undo()).endsWith("Run it as the role that deploys ddb-warden (DeploymentRoleArn is not set)"
                + " or a security role: where protect-ddb-warden.json is attached, it refuses these changes on"
                + " ddb-warden's resources to everyone else.");
    }

    /** DeploymentRoleArn is read from the settings parameter: a write to it could have named its own writer. */
    @Test
    void settingsWrittenByTheDeploymentRole_shouldStayCritical() {
        ObjectNode event = by(event("ssm", "PutParameter", "{\"name\": \"/ddb-warden/" + STACK + "/settings\"}"),
                DEPLOYER_ROLE);

        Tampering tampering = classify(call(event)).orElseThrow();

        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(tampering.what()).contains("by the configured deployment role (CRITICAL all the same");
    }

    @Test
    void callByAnyOtherRole_shouldBeCritical() {
        ObjectNode event = by(event("lambda", "UpdateFunctionCode20150331v2", "{\"functionName\": \"ddb-warden-public-access\"}"),
                DEVELOPER_ROLE);

        assertThat(classify(call(event))).map(Tampering::severity).contains(Severity.CRITICAL);
    }

    @Test
    void failedCall_shouldBeIgnored() {
        ObjectNode event = event("cloudtrail", "StopLogging", "{\"name\": \"management-events\"}");
        detail(event).put("errorCode", "AccessDenied");

        assertThat(classify(call(event))).isEmpty();
    }

    @Test
    void callOnAnotherServiceUnderAWatchedName_shouldBeIgnored() {
        // DeleteTopic is watched on SNS, not on a look-alike source
        assertThat(classify(call("sqs", "DeleteTopic", "{\"topicArn\": \"" + TOPIC + "\"}"))).isEmpty();
        assertThat(classify(call("lambda", "DeleteTopic", "{\"topicArn\": \"" + TOPIC + "\"}"))).isEmpty();
    }

    @Test
    void nameSpellingAPlaceholder_shouldBeQuoted_notExpanded() {
        ApiCall call = call("cloudtrail", "StopLogging", "{\"name\": \"x-{eventId}-{stack}\"}");

        Tampering tampering = classify(call).orElseThrow();

        assertThat(tampering.what()).isEqualTo("trail x-{eventId}-{stack} stopped logging");
        assertThat(tampering.what()).doesNotContain(EVENT_ID);
    }

    @Test
    void hostileRequests_shouldNeverThrow_andNeverAlertOnWhatIsNotText() {
        // GIVEN every watched call with its resource fields replaced by wrong types, huge and odd strings (seed printed)
        long seed = 20240603L;
        java.util.Random random = new java.util.Random(seed);
        List<com.fasterxml.jackson.databind.JsonNode> values = List.of(
                dev.ddbwarden.TestEvents.JSON.getNodeFactory().numberNode(7),
                dev.ddbwarden.TestEvents.JSON.getNodeFactory().booleanNode(true),
                dev.ddbwarden.TestEvents.JSON.getNodeFactory().arrayNode().add("ddb-warden-watcher"),
                dev.ddbwarden.TestEvents.JSON.getNodeFactory().objectNode().put("name", "ddb-warden-watcher"),
                dev.ddbwarden.TestEvents.JSON.getNodeFactory().nullNode());
        for (WatchedCall row : WatchedCalls.all()) {
            for (int i = 0; i < 20; i++) {
                String service = row.eventSource().substring(0, row.eventSource().indexOf('.'));
                ObjectNode event = event(service, row.eventName(), "{}");
                ObjectNode request = (ObjectNode) detail(event).get("requestParameters");
                for (String field : row.fields()) {
                    String key = field.substring(field.indexOf('.') + 1);
                    if (random.nextBoolean()) {
                        request.set(key, values.get(random.nextInt(values.size())));
                    } else {
                        request.put(key, odd(random));
                    }
                }
                // WHEN / THEN
                Optional<Tampering> tampering = Watcher.classify(call(event), WATCHED);
                tampering.ifPresent(t -> assertThat(t.resource()).as("seed %d, %s", seed, event).isNotEmpty());
                if (row.target() != WatchedTarget.TRAIL) {
                    assertThat(tampering.isEmpty() || request.toString().contains("ddb-warden-"))
                            .as("seed %d: alerted on %s", seed, request).isTrue();
                }
            }
        }
    }

    private static String odd(java.util.Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "";
            case 1 -> "ddb-warden-" + "\u00e9\u4e2d\ud83d\ude00".repeat(random.nextInt(50));
            case 2 -> "x".repeat(random.nextInt(100_000));
            case 3 -> "arn:aws:lambda:us-east-1:123456789012:function:";
            default -> ":::/{name}{eventId}$1\\";
        };
    }
}
