package dev.ddbwarden.watcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.check.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.ddbwarden.WatcherEvents.STACK;
import static dev.ddbwarden.WatcherEvents.call;
import static dev.ddbwarden.WatcherEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the watcher's table, on a call built from the row itself: the stack's resource makes a
 * CRITICAL alert with every placeholder filled, a resource of nobody we know makes none.
 */
class WatchedCallsTest {
    private static final String KEY_ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final Watched WATCHED = new Watched(STACK, "aws", "us-east-1", "",
            "arn:aws:kms:us-east-1:123456789012:key/" + KEY_ID);

    static List<WatchedCall> rows() {
        return WatchedCalls.all();
    }

    /** What the row's first field would hold for this stack's resource, or for someone else's. */
    static String sample(WatchedTarget target, boolean ours, String field) {
        String prefix = ours ? "ddb-warden-" : "payments-";
        return switch (target) {
            case TRAIL -> "management-events";
            case RULE -> prefix + "deletion-protection";
            case FUNCTION -> field.startsWith("responseElements")
                    ? "arn:aws:lambda:us-east-1:123456789012:function:" + prefix + "watcher" : prefix + "watcher";
            case TOPIC -> "arn:aws:sns:us-east-1:123456789012:" + prefix + "AlertTopic-AbCdEf123456"
                    + (field.endsWith("subscriptionArn") ? ":0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f" : "");
            case ROLE -> prefix + "WatcherRole-XYZ";
            case LEDGER -> field.endsWith("resourceArn")
                    ? "arn:aws:dynamodb:us-east-1:123456789012:table/" + (ours ? "ddb-warden-Ledger-ABC123" : "orders")
                    : ours ? "ddb-warden-Ledger-ABC123" : "orders";
            case QUEUE -> field.endsWith("queueUrl")
                    ? "https://sqs.us-east-1.amazonaws.com/123456789012/" + prefix + "FailureQueue-AbC123"
                    : "arn:aws:sqs:us-east-1:123456789012:" + prefix + "RecheckQueue-AbC123";
            case KEY -> ours ? KEY_ID : "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
            case SCHEDULE -> prefix + "sweep";
            case STATE_MACHINE -> "arn:aws:states:us-east-1:123456789012:stateMachine:" + prefix + "sweep";
            case PARAMETER -> ours ? "/ddb-warden/ddb-warden/settings" : "/ddb-warden/payments/settings";
        };
    }

    /** A call of the row naming {@code named} in its first field, carrying the row's condition. */
    static ObjectNode eventFor(WatchedCall row, String named) {
        String service = row.eventSource().substring(0, row.eventSource().indexOf('.'));
        String eventName = row.versioned() ? row.eventName() + "20150331v2" : row.eventName();
        ObjectNode event = event(service, eventName, "{}");
        ObjectNode detail = (ObjectNode) event.get("detail");
        String field = row.fields().get(0);
        String[] path = field.split("\\.");
        ObjectNode root = detail.putObject(path[0]);
        if (path[1].endsWith("[]")) {
            root.putArray(path[1].substring(0, path[1].length() - 2)).add("/ddb-warden/payments/other").add(named);
        } else {
            root.put(path[1], named);
        }
        row.when().ifPresent(condition -> {
            ObjectNode request = (ObjectNode) detail.get("requestParameters");
            String[] steps = condition.path().split("\\.");
            ObjectNode node = request;
            for (int i = 0; i < steps.length - 1; i++) {
                node = node.has(steps[i]) ? (ObjectNode) node.get(steps[i]) : node.putObject(steps[i]);
            }
            node.put(steps[steps.length - 1], condition.value());
        });
        return event;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyRow_shouldAlertCritical_onTheStacksResource(WatchedCall row) {
        // GIVEN the row's call on this stack's resource
        ObjectNode event = eventFor(row, sample(row.target(), true, row.fields().get(0)));

        // WHEN
        Tampering tampering = Watcher.classify(call(event), WATCHED).orElseThrow(
                () -> new AssertionError(row.eventName() + " was not recognised: " + event));

        // THEN every text is filled in
        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        for (String text : List.of(tampering.what(), tampering.why(), tampering.check(), tampering.undo())) {
            assertThat(text).as(row.eventName()).isNotBlank().doesNotContainPattern("\\{[a-zA-Z]+}");
        }
        assertThat(tampering.what()).as(row.eventName()).doesNotContain("(not recorded)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyRow_shouldStayQuiet_onSomeoneElsesResource(WatchedCall row) {
        ObjectNode event = eventFor(row, sample(row.target(), false, row.fields().get(0)));

        boolean anyTrail = row.target() == WatchedTarget.TRAIL;
        assertThat(Watcher.classify(call(event), WATCHED).isPresent()).as(row.eventName()).isEqualTo(anyTrail);
    }

    @Test
    void rows_shouldBeUnique_bySourceNameAndTarget() {
        // An event source mapping names a function and a queue: one row for each.
        Set<String> seen = new HashSet<>();
        for (WatchedCall row : WatchedCalls.all()) {
            assertThat(seen.add(row.eventSource() + " " + row.eventName() + " " + row.target())).as(row.eventName()).isTrue();
        }
    }

    @Test
    void rowsWithACondition_shouldStayQuiet_whenTheRequestLacksIt() {
        for (WatchedCall row : WatchedCalls.all()) {
            if (row.when().isPresent()) {
                ObjectNode event = event("dynamodb", row.eventName(),
                        "{\"" + row.fields().get(0).split("\\.")[1] + "\": \"ddb-warden-Ledger-ABC123\"}");
                assertThat(Watcher.classify(call(event), WATCHED)).as(row.eventName()).isEmpty();
            }
        }
    }
}
