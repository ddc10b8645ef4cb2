package dev.ddbwarden.log;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.logging.internal.LoggingManagerRegistry;
import software.amazon.lambda.powertools.logging.log4j.internal.Log4jLoggingManager;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * What reaches the log, as alerts and operators read it: one line of Powertools' Lambda JSON per event on
 * standard error, ddb-warden's loggers at INFO and libraries at WARN until Powertools sets one level, and the
 * Lambda context's fields inside withLogging only.
 */
class LoggingBackendTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void capture() {
        original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setErr(original);
        // Back to log4j2.properties' levels for the tests after this one.
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
        MDC.clear();
    }

    @Test
    void slf4jAndPowertoolsUseLog4j() {
        assertThat(LoggerFactory.getLogger("dev.ddbwarden.handler.Pipeline").getClass().getName())
                .isEqualTo("org.apache.logging.slf4j.Log4jLogger");
        assertThat(LoggingManagerRegistry.getLoggingManager()).isInstanceOf(Log4jLoggingManager.class);
    }

    @Test
    void ownLoggersAndLibrariesHaveTheirOwnThresholdsUntilPowertoolsSetsOne() throws Exception {
        Logger own = LoggerFactory.getLogger("dev.ddbwarden.handler.Pipeline");
        Logger sdk = LoggerFactory.getLogger("software.amazon.awssdk.request");
        own.info("own info");
        own.debug("own debug");
        sdk.info("sdk info");
        sdk.warn("sdk warn");
        assertThat(messages()).containsExactly("own info", "sdk warn");

        captured.reset();
        LoggingManagerRegistry.getLoggingManager().setLogLevel(Level.DEBUG);
        own.debug("own debug");
        sdk.debug("sdk debug");
        sdk.trace("sdk trace");
        assertThat(messages()).containsExactly("own debug", "sdk debug");
        assertThat(LoggingManagerRegistry.getLoggingManager().getLogLevel(sdk)).isEqualTo(Level.DEBUG);
    }

    @Test
    void formatsArgumentsAndTakesATrailingThrowableAsTheError() throws Exception {
        Logger logger = LoggerFactory.getLogger("dev.ddbwarden.test");
        logger.warn("table {} in {} not fixed", "orders", "eu-west-1", new IllegalStateException("throttled"));
        JsonNode line = lines().get(0);
        assertThat(line.get("message").asText()).isEqualTo("table orders in eu-west-1 not fixed");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.at("/error/message").asText()).isEqualTo("throttled");
        assertThat(line.at("/error/name").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.at("/error/stack").asText()).startsWith("java.lang.IllegalStateException: throttled")
                .contains("at dev.ddbwarden.log.LoggingBackendTest.formatsArgumentsAndTakesATrailingThrowableAsTheError");
        assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void withLoggingAddsTheLambdaContextInPowertoolsTypesThenClearsIt() throws Exception {
        Context context = mock(Context.class);
        when(context.getFunctionName()).thenReturn("DeletionProtectionFunction");
        when(context.getFunctionVersion()).thenReturn("$LATEST");
        when(context.getAwsRequestId()).thenReturn("c0ffee00-0000-4000-8000-000000000001");
        when(context.getInvokedFunctionArn()).thenReturn("arn:aws:lambda:us-east-1:123456789012:function:DeletionProtectionFunction");
        when(context.getMemoryLimitInMB()).thenReturn(512);
        Logger logger = LoggerFactory.getLogger("dev.ddbwarden.test");

        PowertoolsLogging.withLogging(context, () -> {
            MDC.put("correlation_id", "5235bf01-2899-4e1d-a14f-99002a60e0c2");
            MDC.put("rule", "deletion-protection");
            logger.info("inside");
            return null;
        });
        logger.info("after");

        List<JsonNode> lines = lines();
        JsonNode inside = lines.get(0);
        assertThat(inside.get("message").asText()).isEqualTo("inside");
        assertThat(inside.get("level").asText()).isEqualTo("INFO");
        assertThat(inside.get("function_name").asText()).isEqualTo("DeletionProtectionFunction");
        assertThat(inside.get("function_arn").asText()).endsWith(":function:DeletionProtectionFunction");
        assertThat(inside.get("function_version").asText()).isEqualTo("$LATEST");
        assertThat(inside.get("function_request_id").asText()).isEqualTo("c0ffee00-0000-4000-8000-000000000001");
        assertThat(inside.get("function_memory_size").isInt()).isTrue();
        assertThat(inside.get("function_memory_size").intValue()).isEqualTo(512);
        assertThat(inside.get("cold_start").isBoolean()).isTrue();
        assertThat(inside.get("correlation_id").asText()).isEqualTo("5235bf01-2899-4e1d-a14f-99002a60e0c2");
        assertThat(inside.get("rule").asText()).isEqualTo("deletion-protection");
        JsonNode after = lines.get(1);
        assertThat(after.get("message").asText()).isEqualTo("after");
        // Powertools' layout writes a field it has no value for as null.
        assertThat(after.path("function_name").isMissingNode() || after.path("function_name").isNull()).isTrue();
        assertThat(after.path("function_request_id").isMissingNode() || after.path("function_request_id").isNull()).isTrue();
        assertThat(after.path("correlation_id").isMissingNode() || after.path("correlation_id").isNull()).isTrue();
    }

    /**
     * A message (control characters included) and an MDC value cannot break the line or forge a field. Powertools'
     * resolver escapes an MDC value's newline and quotes but passes other control characters through, so ours hold
     * only what CloudTrail's fields can.
     */
    @Test
    void aMessageCannotBreakTheLineOrForgeAField() throws Exception {
        String hostile = "name\"}\n{\"level\":\"INFO\",\"message\":\"forged";
        MDC.put("table", hostile);
        LoggerFactory.getLogger("dev.ddbwarden.test").info(hostile + "\u0007");

        String rendered = captured.toString(StandardCharsets.UTF_8).strip();
        assertThat(rendered).doesNotContain("\n").doesNotContain("\u0007");
        JsonNode line = JSON.readTree(rendered);
        assertThat(line.get("message").asText()).isEqualTo(hostile + "\u0007");
        assertThat(line.get("table").asText()).isEqualTo(hostile);
        assertThat(line.get("level").asText()).isEqualTo("INFO");
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
