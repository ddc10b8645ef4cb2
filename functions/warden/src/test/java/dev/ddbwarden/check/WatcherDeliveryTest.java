package dev.ddbwarden.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.ApiCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.ddbwarden.WatcherEvents.DEPLOYER_ROLE;
import static dev.ddbwarden.WatcherEvents.STACK;
import static dev.ddbwarden.WatcherEvents.by;
import static dev.ddbwarden.WatcherEvents.call;
import static dev.ddbwarden.WatcherEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watcher on the calls that change the path between an API call and an alert without touching
 * a rule or a function's code: the alias {@code live} every rule invokes and the versions behind it.
 */
class WatcherDeliveryTest {
    private static final Watched WATCHED = new Watched(STACK, "aws", "us-east-1", DEPLOYER_ROLE);
    private static final String FUNCTION = "ddb-warden-public-access";
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:" + FUNCTION;
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
}
