package dev.ddbwarden.watcher;

import dev.ddbwarden.event.ApiCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import dev.ddbwarden.check.Severity;

import static dev.ddbwarden.WatcherEvents.STACK;
import static dev.ddbwarden.WatcherEvents.call;
import static org.assertj.core.api.Assertions.assertThat;

/** The watcher on the sweep's schedule and state machine: the net behind every event rule. */
class WatcherSweepTest {
    private static final Watched WATCHED = new Watched(STACK, "aws", "us-east-1", "");
    private static final String SCHEDULE_ARN = "arn:aws:scheduler:us-east-1:123456789012:schedule/default/ddb-warden-sweep";
    private static final String STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:ddb-warden-sweep";

    private static Optional<Tampering> classify(ApiCall call) {
        return Watcher.classify(call, WATCHED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"name\": \"ddb-warden-sweep\", \"state\": \"DISABLED\"}",
            "{\"Name\": \"ddb-warden-sweep\", \"State\": \"DISABLED\"}",
            "{\"name\": \"ddb-warden-sweep\", \"groupName\": \"default\"}",
            "{\"Name\": \"ddb-warden-sweep\", \"GroupName\": \"default\"}"})
    void updateSchedule_shouldBeCritical_onTheSweepsSchedule_inEitherSpelling(String request) {
        Tampering tampering = classify(call("scheduler", "UpdateSchedule", request)).orElseThrow();

        assertThat(tampering.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(tampering.resource()).isEqualTo(SCHEDULE_ARN);
        assertThat(tampering.what()).isEqualTo("sweep schedule ddb-warden-sweep changed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"name\": \"ddb-warden-sweep\", \"groupName\": \"nightly\"}",
            "{\"Name\": \"ddb-warden-sweep\", \"GroupName\": \"nightly\"}", "{\"name\": \"billing-export\"}", "{}"})
    void deleteSchedule_shouldBeIgnored_inAnotherGroupOrUnderAnotherName(String request) {
        assertThat(classify(call("scheduler", "DeleteSchedule", request))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {STATE_MACHINE_ARN, STATE_MACHINE_ARN + ":3", STATE_MACHINE_ARN + ":live"})
    void updateStateMachine_shouldBeCritical_qualifiedOrNot(String arn) {
        ApiCall call = call("states", "UpdateStateMachine", "{\"stateMachineArn\": \"" + arn + "\"}");

        assertThat(classify(call)).map(Tampering::resource).contains(STATE_MACHINE_ARN);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arn:aws:states:us-east-1:123456789012:stateMachine:orders-etl",
            "arn:aws:states:us-east-1:999988887777:stateMachine:ddb-warden-sweep",
            "arn:aws:states:eu-west-1:123456789012:stateMachine:ddb-warden-sweep", "ddb-warden-sweep"})
    void deleteStateMachine_shouldBeIgnored_forAnyOtherStateMachine(String arn) {
        assertThat(classify(call("states", "DeleteStateMachine", "{\"stateMachineArn\": \"" + arn + "\"}"))).isEmpty();
    }

    @Test
    void deleteStateMachine_shouldSayThatEverySweepFailsUntilRedeployed() {
        Tampering tampering = classify(call("states", "DeleteStateMachine",
                "{\"stateMachineArn\": \"" + STATE_MACHINE_ARN + "\"}")).orElseThrow();

        assertThat(tampering.undo()).contains("until then every scheduled sweep fails\n  Run it as ");
        assertThat(tampering.check()).contains("describe-state-machine --state-machine-arn " + STATE_MACHINE_ARN);
    }
}
