package dev.ddbwarden.watcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.ApiCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.ddbwarden.check.Severity;

import static dev.ddbwarden.WatcherEvents.DEPLOYER_ROLE;
import static dev.ddbwarden.WatcherEvents.STACK;
import static dev.ddbwarden.WatcherEvents.by;
import static dev.ddbwarden.WatcherEvents.call;
import static dev.ddbwarden.WatcherEvents.detail;
import static dev.ddbwarden.WatcherEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watcher on the calls that change the path between an API call and an alert without touching
 * a rule or a function's code: the alias {@code live} every rule invokes and the versions behind it,
 * the queues and their consumers, the alert topic's key and its data protection policy.
 */
class WatcherDeliveryTest {
    private static final String KEY_ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/" + KEY_ID;
    private static final Watched WATCHED = new Watched(STACK, "aws", "us-east-1", DEPLOYER_ROLE, KEY_ARN);
    private static final String FUNCTION = "ddb-warden-public-access";
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:" + FUNCTION;
    private static final String QUEUE = "ddb-warden-PublicAccessRecheckQueue-1A2B3C4D";
    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:" + QUEUE;
    private static final List<String> ALIAS_CALLS = List.of("UpdateAlias20150331", "DeleteAlias20150331",
            "PublishVersion20150331", "UpdateAlias", "PublishVersion20150331v2");

    private static Optional<Tampering> classify(ApiCall call) {
        return Watcher.classify(call, WATCHED);
    }

    /** Every alias or version call with every way Lambda lets a caller name the function. */
    static List<Arguments> aliasCallsOnOurFunction() {
        List<String> forms = List.of(FUNCTION, FUNCTION + ":live", FUNCTION + ":7",
                "123456789012:function:" + FUNCTION, "123456789012:function:" + FUNCTION + ":live",
                FUNCTION_ARN, FUNCTION_ARN + ":live", FUNCTION_ARN + ":$LATEST");
        List<Arguments> cases = new ArrayList<>();
        ALIAS_CALLS.forEach(name -> forms.forEach(form -> cases.add(Arguments.of(name, form))));
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("aliasCallsOnOurFunction")
    void aliasOrVersionCall_shouldBeCritical_howeverTheFunctionIsNamed(String eventName, String named) {
        ApiCall call = call("lambda", eventName, "{\"functionName\": \"" + named + "\", \"name\": \"live\"}");

        Tampering tampering = classify(call).orElseThrow();

        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(tampering.resource()).isEqualTo(FUNCTION_ARN);
        assertThat(tampering.what()).startsWith("function " + FUNCTION + " ");
    }

    static List<Arguments> aliasCallsOnOtherFunctions() {
        List<String> forms = List.of("orders-api:live", "ddb-wardenx-public-access",
                "999988887777:function:" + FUNCTION + ":live",
                "arn:aws:lambda:us-east-1:999988887777:function:" + FUNCTION + ":live",
                "arn:aws:lambda:eu-west-1:123456789012:function:" + FUNCTION + ":live",
                "arn:aws-cn:lambda:us-east-1:123456789012:function:" + FUNCTION);
        List<Arguments> cases = new ArrayList<>();
        ALIAS_CALLS.forEach(name -> forms.forEach(form -> cases.add(Arguments.of(name, form))));
        return cases;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("aliasCallsOnOtherFunctions")
    void aliasOrVersionCall_shouldBeIgnored_onAnyOtherFunction(String eventName, String named) {
        assertThat(classify(call("lambda", eventName, "{\"functionName\": \"" + named + "\"}"))).isEmpty();
    }

    @Test
    void updateAlias_shouldSayWhatAndHowToPointItBack() {
        ObjectNode event = event("lambda", "UpdateAlias20150331",
                "{\"functionName\": \"" + FUNCTION + "\", \"name\": \"live\", \"functionVersion\": \"3\"}");

        Tampering tampering = classify(call(event)).orElseThrow();

        assertThat(tampering.what()).isEqualTo("function " + FUNCTION + " alias changed");
        assertThat(tampering.undo()).contains("aws lambda update-alias --function-name " + FUNCTION + " --name live");
    }

    @Test
    void publishVersion_byTheDeploymentRole_shouldBeLow() {
        ObjectNode event = by(event("lambda", "PublishVersion20150331", "{\"functionName\": \"" + FUNCTION + "\"}"),
                DEPLOYER_ROLE);

        assertThat(classify(call(event))).map(Tampering::severity).contains(Severity.LOW);
    }

    @Test
    void prefixOfAnAliasCall_shouldNotPassForIt() {
        // UpdateAliasRoutes is no Lambda action; only a date (and a revision) may follow the name.
        assertThat(classify(call("lambda", "UpdateAliasRoutes20150331", "{\"functionName\": \"" + FUNCTION + "\"}")))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://sqs.us-east-1.amazonaws.com/123456789012/" + QUEUE,
            "https://queue.amazonaws.com/123456789012/" + QUEUE,
            "https://us-east-1.queue.amazonaws.com/123456789012/" + QUEUE,
            "https://sqs-fips.us-east-1.amazonaws.com/123456789012/" + QUEUE,
            "https://vpce-0a1b2c3d4e5f60718-abcdefgh.sqs.us-east-1.vpce.amazonaws.com/123456789012/" + QUEUE,
            "https://sqs.us-east-1.api.aws/123456789012/" + QUEUE,
            "http://sqs.us-east-1.amazonaws.com/123456789012/" + QUEUE})
    void purgeQueue_shouldBeCritical_onOurQueue_onAnyEndpoint(String url) {
        Tampering tampering = classify(call("sqs", "PurgeQueue", "{\"queueUrl\": \"" + url + "\"}")).orElseThrow();

        assertThat(tampering.resource()).isEqualTo(QUEUE_ARN);
        assertThat(tampering.what()).isEqualTo("queue " + QUEUE + " purged");
        assertThat(tampering.check()).contains("--event-source-arn " + QUEUE_ARN);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://sqs.us-east-1.amazonaws.com/123456789012/orders-jobs",
            "https://sqs.us-east-1.amazonaws.com/999988887777/" + QUEUE,
            "https://sqs.us-east-1.amazonaws.com/123456789012/" + QUEUE + "/extra",
            "https://sqs.us-east-1.amazonaws.com/" + QUEUE,
            QUEUE, "", "https://"})
    void deleteQueue_shouldBeIgnored_onAnyOtherQueue(String url) {
        assertThat(classify(call("sqs", "DeleteQueue", "{\"queueUrl\": \"" + url + "\"}"))).isEmpty();
    }

    @Test
    void setQueueAttributes_shouldBeCritical_andNotBeTakenForTheTopicsPermissionCalls() {
        String url = "https://sqs.us-east-1.amazonaws.com/123456789012/ddb-warden-FailureQueue-9Z8Y7X";
        ApiCall attributes = call("sqs", "SetQueueAttributes",
                "{\"queueUrl\": \"" + url + "\", \"attributes\": {\"MessageRetentionPeriod\": \"60\"}}");
        ApiCall permission = call("sqs", "RemovePermission", "{\"queueUrl\": \"" + url + "\", \"label\": \"RuleDeadLetters\"}");

        assertThat(classify(attributes)).map(Tampering::what).contains("queue ddb-warden-FailureQueue-9Z8Y7X attributes changed");
        assertThat(classify(permission)).map(Tampering::what).contains("queue ddb-warden-FailureQueue-9Z8Y7X permission removed");
    }

    @Test
    void mappingMovedToAnotherFunction_shouldBeCritical_byItsQueue() {
        // GIVEN our re-check queue's mapping pointed at someone else's function: no function of ours is named
        ObjectNode event = event("lambda", "UpdateEventSourceMapping20150331",
                "{\"uUID\": \"6d1f2a3b\", \"functionName\": \"collector\"}");
        detail(event).putObject("responseElements").put("uUID", "6d1f2a3b")
                .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:collector")
                .put("eventSourceArn", QUEUE_ARN);

        Tampering tampering = classify(call(event)).orElseThrow();

        assertThat(tampering.resource()).isEqualTo(QUEUE_ARN);
        assertThat(tampering.what()).isEqualTo("queue " + QUEUE + " event source mapping changed");
    }

    @Test
    void mappingOfOurFunction_shouldStillBeToldByTheFunction() {
        ObjectNode event = event("lambda", "DeleteEventSourceMapping20150331", "{\"uUID\": \"6d1f2a3b\"}");
        detail(event).putObject("responseElements").put("functionArn", FUNCTION_ARN + ":live").put("eventSourceArn", QUEUE_ARN);

        assertThat(classify(call(event))).map(Tampering::what).contains("function " + FUNCTION + " event source mapping deleted");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {QUEUE_ARN, "arn:aws:sqs:us-east-1:123456789012:orders-jobs",
            "arn:aws:sqs:us-east-1:999988887777:" + QUEUE, "arn:aws:sqs:eu-west-1:123456789012:" + QUEUE})
    void createEventSourceMapping_shouldBeCritical_onlyOnOurQueue(String source) {
        ApiCall call = call("lambda", "CreateEventSourceMapping20150331",
                "{\"eventSourceArn\": \"" + source + "\", \"functionName\": \"collector\"}");

        assertThat(classify(call).map(Tampering::resource)).isEqualTo(
                source.equals(QUEUE_ARN) ? Optional.of(QUEUE_ARN) : Optional.empty());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"DisableKey, " + KEY_ID, "DisableKey, " + KEY_ARN,
            "ScheduleKeyDeletion, " + KEY_ID, "PutKeyPolicy, " + KEY_ARN})
    void keyCall_shouldBeCritical_onTheAlertKey_byIdOrArn(String eventName, String keyId) {
        Tampering tampering = classify(call("kms", eventName, "{\"keyId\": \"" + keyId + "\"}")).orElseThrow();

        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(tampering.resource()).isEqualTo(KEY_ARN);
        assertThat(tampering.what()).startsWith("alert key " + KEY_ID + " ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "arn:aws:kms:eu-west-1:123456789012:key/" + KEY_ID,
            "arn:aws:kms:us-east-1:999988887777:key/" + KEY_ID, "alias/ddb-warden-alerts", ""})
    void disableKey_shouldBeIgnored_onAnyOtherKey(String keyId) {
        assertThat(classify(call("kms", "DisableKey", "{\"keyId\": \"" + keyId + "\"}"))).isEmpty();
    }

    @Test
    void disableKey_shouldBeIgnored_whenTheWatcherWasNotToldItsKey() {
        Watched withoutKey = new Watched(STACK, "aws", "us-east-1", DEPLOYER_ROLE);

        assertThat(Watcher.classify(call("kms", "DisableKey", "{\"keyId\": \"" + KEY_ID + "\"}"), withoutKey)).isEmpty();
    }

    @Test
    void scheduleKeyDeletion_shouldTellThatCancellingLeavesTheKeyDisabled() {
        Tampering tampering = classify(call("kms", "ScheduleKeyDeletion",
                "{\"keyId\": \"" + KEY_ID + "\", \"pendingWindowInDays\": 7}")).orElseThrow();

        assertThat(tampering.undo()).startsWith("aws kms cancel-key-deletion --key-id " + KEY_ARN + ", then aws kms"
                + " enable-key --key-id " + KEY_ARN + " (a cancelled deletion leaves the key disabled)\n");
    }

    @Test
    void putDataProtectionPolicy_shouldBeCritical_onTheAlertTopicOnly() {
        String topic = "arn:aws:sns:us-east-1:123456789012:ddb-warden-AlertTopic-AbCdEf123456";
        String policy = "{\"resourceArn\": \"%s\", \"dataProtectionPolicy\": \"{}\"}";

        assertThat(classify(call("sns", "PutDataProtectionPolicy", policy.formatted(topic)))).map(Tampering::what)
                .contains("alert topic ddb-warden-AlertTopic-AbCdEf123456 data protection policy written");
        assertThat(classify(call("sns", "PutDataProtectionPolicy",
                policy.formatted("arn:aws:sns:us-east-1:123456789012:orders-events")))).isEmpty();
    }
}
