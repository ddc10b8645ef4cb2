package dev.ddbwarden.log;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.logging.internal.LoggingManagerRegistry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** SLF4J and Powertools find this backend, and what reaches the log is what Powertools users expect. */
class LoggingBackendTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;
    private int[] thresholds;

    @BeforeEach
    void capture() {
        thresholds = LogThreshold.snapshot();
        original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setErr(original);
        LogThreshold.restore(thresholds);
        MDC.clear();
    }

    @Test
    void slf4jAndPowertoolsUseThisBackend() {
        assertThat(LoggerFactory.getLogger("dev.ddbwarden.handler.Pipeline")).isInstanceOf(JsonLogger.class);
        assertThat(LoggingManagerRegistry.getLoggingManager()).isInstanceOf(PowertoolsLevels.class);
    }

    @Test
    void ownLoggersAndLibrariesHaveTheirOwnThresholdsUntilPowertoolsSetsOne() throws Exception {
        LogThreshold.restore(new int[] {Level.INFO.toInt(), Level.WARN.toInt()});
        Logger own = LoggerFactory.getLogger("dev.ddbwarden.handler.Pipeline");
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.request");
        own.info("own info");
        own.debug("own debug");
        sdk.info("sdk info");
        sdk.warn("sdk warn");
        assertThat(messages()).containsExactly("own info", "sdk warn");

        captured.reset();
        new PowertoolsLevels().setLogLevel(Level.DEBUG);
        own.debug("own debug");
        sdk.debug("sdk debug");
        sdk.trace("sdk trace");
        assertThat(messages()).containsExactly("own debug", "sdk debug");
        assertThat(new PowertoolsLevels().getLogLevel(sdk)).isEqualTo(Level.DEBUG);
    }

    @Test
    void formatsArgumentsAndTakesATrailingThrowableAsTheError() throws Exception {
        Logger logger = LoggerFactory.getLogger("dev.ddbwarden.test");
        logger.warn("table {} in {} not fixed", "orders", "eu-west-1", new IllegalStateException("throttled"));
        JsonNode line = lines().get(0);
        assertThat(line.get("message").asText()).isEqualTo("table orders in eu-west-1 not fixed");
        assertThat(line.at("/error/message").asText()).isEqualTo("throttled");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void withLoggingAddsTheLambdaContextThenClearsIt() throws Exception {
        Context context = mock(Context.class);
        when(context.getFunctionName()).thenReturn("DeletionProtectionFunction");
        when(context.getFunctionVersion()).thenReturn("$LATEST");
        when(context.getAwsRequestId()).thenReturn("c0ffee00-0000-4000-8000-000000000001");
        when(context.getInvokedFunctionArn()).thenReturn("arn:aws:lambda:us-east-1:123456789012:function:DeletionProtectionFunction");
        when(context.getMemoryLimitInMB()).thenReturn(512);
        Logger logger = LoggerFactory.getLogger("dev.ddbwarden.test");

        PowertoolsLogging.withLogging(context, () -> {
            MDC.put("correlation_id", "5235bf01-2899-4e1d-a14f-99002a60e0c2");
            logger.info("inside");
            return null;
        });
        logger.info("after");

        List<JsonNode> lines = lines();
        JsonNode inside = lines.get(0);
        assertThat(inside.get("message").asText()).isEqualTo("inside");
        assertThat(inside.get("function_name").asText()).isEqualTo("DeletionProtectionFunction");
        assertThat(inside.get("function_request_id").asText()).isEqualTo("c0ffee00-0000-4000-8000-000000000001");
        assertThat(inside.get("function_memory_size").intValue()).isEqualTo(512);
        assertThat(inside.get("cold_start").isBoolean()).isTrue();
        assertThat(inside.get("correlation_id").asText()).isEqualTo("5235bf01-2899-4e1d-a14f-99002a60e0c2");
        JsonNode after = lines.get(1);
        assertThat(after.get("message").asText()).isEqualTo("after");
        assertThat(after.has("function_name")).isFalse();
        assertThat(after.has("correlation_id")).isFalse();
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private List<String> messages() throws Exception {
        return lines().stream().map(line -> line.get("message").asText()).toList();
    }
}
