package dev.ddbwarden.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery path moto cannot run, held in template.yaml: every rule target retries and has a
 * dead-letter queue, every function retries asynchronously into the on-failure queue, and every way
 * of failing (function errors and throttles, queues filling, rules failing to deliver) has an alarm
 * that notifies the alert topic.
 */
class TemplateDeliveryTest {
    private static Template template;

    @BeforeAll
    static void load() throws Exception {
        template = Project.template();
    }

    @Test
    void everyRuleTarget_shouldRetry_andDeadLetterIntoOurQueue() {
        for (String function : template.functionIds()) {
            Map<String, Object> events = Template.map(Template.map(template.resource(function).get("Properties")).get("Events"));
            events.forEach((name, event) -> {
                Map<String, Object> body = Template.map(event);
                if (!"EventBridgeRule".equals(body.get("Type"))) {
                    return;
                }
                Map<String, Object> properties = Template.map(body.get("Properties"));
                String where = function + "/" + name;
                assertThat(Template.map(properties.get("RetryPolicy"))).as(where)
                        .containsEntry("MaximumRetryAttempts", 185).containsEntry("MaximumEventAgeInSeconds", 86400);
                assertThat(Template.map(properties.get("DeadLetterConfig")).get("Arn")).as(where)
                        .isEqualTo(Map.of("Fn::GetAtt", List.of("EventDeadLetterQueue", "Arn")));
                assertThat(properties.get("RuleName")).as(where).isNotNull();
            });
        }
    }

    @Test
    void everyFunctionEventBridgeInvokes_shouldRetryAsynchronously_intoTheFailureQueue() {
        // The sweep's function is invoked synchronously by its state machine, which retries it itself.
        for (String function : template.functionIds()) {
            if (template.eventPatterns(function).isEmpty()) {
                continue;
            }
            Map<String, Object> config = Template.map(Template.map(template.resource(function).get("Properties"))
                    .get("EventInvokeConfig"));
            assertThat(config).as(function).containsEntry("MaximumRetryAttempts", 2);
            Map<String, Object> onFailure = Template.map(Template.map(config.get("DestinationConfig")).get("OnFailure"));
            assertThat(onFailure).as(function).containsEntry("Type", "SQS")
                    .containsEntry("Destination", Map.of("Fn::GetAtt", List.of("FailureQueue", "Arn")));
        }
    }

    @Test
    void everyFunction_shouldHaveErrorAndThrottleAlarms() {
        for (String function : template.functionIds()) {
            for (String metric : List.of("Errors", "Throttles")) {
                assertThat(alarmsOn("AWS/Lambda", metric, Map.of("Ref", function))).as(function + " " + metric).hasSize(1);
            }
        }
    }

    @Test
    void everyRule_shouldHaveADeliveryFailureAlarm() {
        for (String function : template.functionIds()) {
            Map<String, Object> events = Template.map(Template.map(template.resource(function).get("Properties")).get("Events"));
            events.values().stream().map(Template::map).filter(e -> "EventBridgeRule".equals(e.get("Type")))
                    .map(e -> Intrinsics.inlined(Template.map(e.get("Properties")).get("RuleName")))
                    .forEach(ruleName -> assertThat(alarmsOn("AWS/Events", "FailedInvocations", ruleName))
                            .as("FailedInvocations alarm for " + ruleName).hasSize(1));
        }
    }

    @Test
    void bothFailureQueues_shouldHaveDepthAlarms() {
        for (String queue : List.of("FailureQueue", "EventDeadLetterQueue")) {
            assertThat(alarmsOn("AWS/SQS", "ApproximateNumberOfMessagesVisible",
                    Map.of("Fn::GetAtt", List.of(queue, "QueueName")))).as(queue).hasSize(1);
        }
    }

    @Test
    void everyAlarm_shouldNotifyTheAlertTopic() {
        List<String> alarms = new ArrayList<>();
        template.resources().forEach((id, body) -> {
            Map<String, Object> resource = Template.map(body);
            if ("AWS::CloudWatch::Alarm".equals(resource.get("Type"))) {
                alarms.add(id);
                assertThat(Template.list(Template.map(resource.get("Properties")).get("AlarmActions"))).as(id)
                        .containsExactly(Map.of("Ref", "AlertTopic"));
            }
        });
        assertThat(alarms).isNotEmpty();
    }

    private static List<String> alarmsOn(String namespace, String metric, Object dimensionValue) {
        List<String> found = new ArrayList<>();
        template.resources().forEach((id, body) -> {
            Map<String, Object> resource = Template.map(body);
            Map<String, Object> properties = Template.map(resource.get("Properties"));
            if ("AWS::CloudWatch::Alarm".equals(resource.get("Type")) && namespace.equals(properties.get("Namespace"))
                    && metric.equals(properties.get("MetricName"))
                    && Template.list(properties.get("Dimensions")).stream()
                    .anyMatch(d -> dimensionValue.equals(Intrinsics.inlined(Template.map(d).get("Value"))))) {
                found.add(id);
            }
        });
        return found;
    }
}
