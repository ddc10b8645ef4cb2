package dev.ddbwarden.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.Json;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.metrics.WardenMetrics;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.TimeBudget;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The shape of every ddb-warden Lambda handler: it takes the raw event stream (so a malformed event
 * reaches our code instead of failing in the runtime's deserialiser), parses it, runs the shared
 * pipeline for its one rule, and writes what it did as JSON. Bad input is logged and dropped;
 * AWS errors are thrown so that Lambda retries.
 */
public final class WardenHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WardenHandler.class);
    /** Kept free at the end of every invocation so that a wait never becomes a timeout. */
    private static final Duration TIME_MARGIN = Duration.ofSeconds(10);
    private static final String CORRELATION_ID = "correlation_id";
    /** Pipelines kept: one per distinct account settings (most accounts share the default's). */
    private static final int MAX_PIPELINES = 256;

    private final Rule rule;
    private final Services services;
    private final Ledger ledger;
    private final AlertPublisher publisher;
    /** The rule this handler runs. */
    public Rule rule() {
        return rule;
    }

    /** The registered rule {@code name} (RULE) names; any other value is refused, so the function does not start. */
    public static Rule ruleNamed(String name) {
        return Rules.byName(name == null ? "" : name).orElseThrow(() -> new ConfigException(EnvVar.RULE,
                "'" + name + "' is not a registered rule; one of " + Rules.all().stream().map(Rule::name).toList()));
    }

    /**
     * The pipeline for each account's settings, keyed by the settings object: one is built anew (it is cheap) when
     * the settings source gives other settings, and the old ones are let go once more are kept than accounts need.
     */
    private final Map<Settings, Pipeline> pipelines = new IdentityHashMap<>();
    /** Held here: a CRaC context keeps its resources only weakly. */
    private final Priming priming;

    /**
     * Called by the Lambda runtime. Every rule function runs this class: the environment's {@code RULE}, which
     * template.yaml sets per function, says which registered rule; any other value fails the start.
     */
    public WardenHandler() {
        this(ruleNamed(System.getenv(EnvVar.RULE)), Services.fromEnvironment());
    }

    public WardenHandler(Rule rule, Services services) {
        // Now, and on every re-read of the settings parameter: settings the rule refuses are kept out like any invalid ones.
        services.settingsSource().require(settings -> rule.requireSettings(settings, services::homeRegion));
        this.rule = rule;
        this.services = services;
        this.publisher = Spine.publisher(services);
        this.ledger = Spine.ledger(services);
        pipeline(services.settings());
        // Before a SnapStart snapshot, warm Jackson, the parser, the checks and the clients with read-only
        // calls, so a restored function serves its first event warm. Off SnapStart this does nothing.
        this.priming = new Priming(services);
        Core.getGlobalContext().register(priming);
    }

    /** The pipeline for {@code settings}, built anew only when no pipeline was built for them. */
    private synchronized Pipeline pipeline(Settings settings) {
        if (pipelines.size() >= MAX_PIPELINES && !pipelines.containsKey(settings)) {
            pipelines.clear();
        }
        return pipelines.computeIfAbsent(settings, s -> Spine.pipeline(rule, services, s, ledger, publisher));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ObjectNode result = PowertoolsLogging.withLogging(context, () -> handle(input, context));
        JsonText.write(result, output);
    }

    private ObjectNode handle(InputStream input, Context context) {
        JsonNode event;
        try {
            event = JsonText.read(input.readAllBytes());
        } catch (JsonProcessingException e) {
            return ignored("the event is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TimeBudget budget = TimeBudget.of(services.clock(), Duration.ofMillis(context.getRemainingTimeInMillis()), TIME_MARGIN);
        String home = AccountScope.accountOf(context.getInvokedFunctionArn());
        AccountAccess.runsIn(home);
        AccountScope scope = new AccountScope(home, services.settings().memberRoleName());
        JsonNode records = event == null ? null : event.get("Records");
        if (records != null && records.isArray()) {
            return handleRechecks(scope, records, budget);
        }
        return handleEvent(scope, event, 0, budget);
    }

    /** Delayed re-checks arrive from SQS, each body holding the original event and its attempt number. */
    private ObjectNode handleRechecks(AccountScope scope, JsonNode records, TimeBudget budget) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        var each = result.putArray("records");
        for (JsonNode record : records) {
            try {
                JsonNode body = JsonText.read(Json.text(record, "body"));
                JsonNode attempt = body.get(Recheck.ATTEMPT);
                if (attempt == null || !attempt.canConvertToInt() || !body.has(Recheck.EVENT)) {
                    each.add(ignored("a re-check message without attempt and event"));
                } else {
                    each.add(handleEvent(scope, body.get(Recheck.EVENT), attempt.asInt(), budget));
                }
            } catch (JsonProcessingException e) {
                each.add(ignored("a re-check message whose body is not JSON"));
            }
        }
        return result;
    }

    private ObjectNode handleEvent(AccountScope scope, JsonNode event, int attempt, TimeBudget budget) {
        Parsed parsed = ApiCallParser.parse(event);
        if (parsed instanceof Parsed.Rejected rejected) {
            return ignored(rejected.reason());
        }
        var call = ((Parsed.Call) parsed).call();
        MDC.put(CORRELATION_ID, call.eventId());
        if (call.failed() && !rule.readsFailedCalls()) {
            return ignored(call.eventName() + " failed with " + call.errorCode() + "; nothing changed");
        }
        if (!rule.reads(call)) {
            return ignored(call.eventName() + " from " + Excerpt.quoted(call.eventSource()) + " is not an event the "
                    + rule.name() + " rule reads");
        }
        Optional<String> refused = scope.refusal(call.accountId());
        if (refused.isPresent()) {
            return ignored(refused.get());
        }
        // Each call is judged by its own account's settings (SETTINGS_OVERRIDES), read as the call is taken up.
        Pipeline pipeline = pipeline(services.settingsFor(call.accountId()));
        List<Result> results = new ArrayList<>();
        Metrics metrics = WardenMetrics.instance();
        metrics.addDimension("Rule", rule.name());
        try {
            results.addAll(pipeline.process(call, event, attempt, budget));
        } catch (SdkServiceException e) {
            metrics.addMetric("Failures", 1, MetricUnit.COUNT);
            if (!MissingPermission.is(e)) {
                throw e;
            }
            // Retrying cannot grant a permission: say so once, loudly, and let the event go.
            LOG.error("ddb-warden lacks a permission for {} {}: {}", call.eventName(), call.eventId(), e.getMessage());
            reportMissingPermission(call, e);
            return ignored("ddb-warden lacks a permission: " + e.getMessage());
        } catch (RuntimeException e) {
            metrics.addMetric("Failures", 1, MetricUnit.COUNT);
            throw e;
        } finally {
            count(metrics, results);
            metrics.flush();
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("eventId", call.eventId());
        result.put("eventName", call.eventName());
        Result.addAll(result.putArray("results"), results);
        return result;
    }

    private void reportMissingPermission(dev.ddbwarden.event.ApiCall call, SdkServiceException e) {
        try {
            publisher.publish(AlertComposer.missingPermission(rule.name(), call, e.getMessage()));
        } catch (RuntimeException publishFailed) {
            LOG.error("and the alert saying so could not be published either: {}", publishFailed.getMessage());
        }
    }

    private static void count(Metrics metrics, List<Result> results) {
        int findings = 0;
        int fixes = 0;
        for (Result result : results) {
            findings += result.severity().isEmpty() ? 0 : 1;
            fixes += "FIXED".equals(result.action()) ? 1 : 0;
        }
        metrics.addMetric("Findings", findings, MetricUnit.COUNT);
        metrics.addMetric("Fixes", fixes, MetricUnit.COUNT);
    }

    private ObjectNode ignored(String reason) {
        LOG.warn("event ignored: {}", reason);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("ignored", reason);
        return result;
    }
}
