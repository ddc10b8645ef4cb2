package dev.ddbwarden.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.alert.SweepSummary;
import dev.ddbwarden.config.AllowedRegions;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.SweepSettings;
import dev.ddbwarden.event.Json;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.metrics.WardenMetrics;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * SweepRegionFunction, driven by the sweep's state machine: {@code start} decides the sweep's ID and
 * whether it only reports, {@code page} sweeps one page of one region and returns where to resume (so
 * no invocation nears the Lambda timeout and no Lambda calls itself), {@code finish} sends the one
 * summary alert.
 */
public final class SweepRegionHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SweepRegionHandler.class);
    private static final Duration TIME_MARGIN = Duration.ofSeconds(10);

    private final Services services;
    private final Supplier<SweepSettings> sweepSettings;
    private final Ledger ledger;
    private final AlertPublisher publisher;
    /** The sweeper for {@link #built}: rebuilt when the settings source gives others. */
    private Sweeper sweeper;
    private Settings built;

    /** Called by the Lambda runtime: settings and clients come from the environment (or the settings parameter). */
    public SweepRegionHandler() {
        this(Services.fromEnvironment());
    }

    private SweepRegionHandler(Services services) {
        this(services, () -> services.settingsSource().current().sweep());
    }

    public SweepRegionHandler(Services services, SweepSettings sweepSettings) {
        this(services, () -> sweepSettings);
    }

    private SweepRegionHandler(Services services, Supplier<SweepSettings> sweepSettings) {
        // The sweep quarantines like RegionGuardFunction, so it refuses the same untrustworthy list, now and on
        // every re-read of the settings parameter.
        String home = services.homeRegion();
        services.settingsSource().require(settings -> AllowedRegions.require(settings.allowedRegions(), home));
        this.services = services;
        this.sweepSettings = sweepSettings;
        this.publisher = Spine.publisher(services);
        this.ledger = Spine.ledger(services);
        sweeper(services.settings());
    }

    private Sweeper sweeper(Settings settings) {
        if (settings != built) {
            sweeper = new Sweeper(services, ledger, publisher);
            built = settings;
        }
        return sweeper;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = JsonText.read(input.readAllBytes());
        ObjectNode result = PowertoolsLogging.withLogging(context, () -> handle(request, context));
        JsonText.write(result, output);
    }

    private ObjectNode handle(JsonNode request, Context context) {
        Sweeper sweeper = sweeper(services.settings());
        String action = Json.text(request, "action");
        switch (action) {
            case "start":
                return start(sweeper, request);
            case "page":
                return page(sweeper, request, context);
            case "finish":
                return finish(sweeper, request, context);
            default:
                throw new IllegalArgumentException("unknown sweep action '" + action + "'; expected start, page or finish");
        }
    }

    private ObjectNode start(Sweeper sweeper, JsonNode request) {
        String sweepId = Json.text(request, "sweepId");
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("sweepId", sweepId.isEmpty() ? services.clock().instant() + "-" + UUID.randomUUID().toString().substring(0, 8) : sweepId);
        result.put("reportOnly", sweeper.reportOnly(sweepSettings.get().reportOnly()));
        return result;
    }

    private ObjectNode page(Sweeper sweeper, JsonNode request, Context context) {
        String sweepId = require(request, "sweepId");
        String region = require(request, "region");
        String startAfter = Json.text(request, "startAfter");
        TimeBudget budget = TimeBudget.of(services.clock(), Duration.ofMillis(context.getRemainingTimeInMillis()), TIME_MARGIN);
        // The function's own ARN names the account it sweeps.
        SweepPage page = sweeper.page(sweepId, context.getInvokedFunctionArn().split(":")[4], region, startAfter.isEmpty() ? Optional.empty() : Optional.of(startAfter),
                request.path("reportOnly").asBoolean(true), sweepSettings.get().maxFixes(), budget);
        Metrics metrics = WardenMetrics.instance();
        metrics.addDimension("Rule", "sweep");
        page.counts().forEach((name, n) -> {
            if (!name.contains(":")) {
                metrics.addMetric("Sweep" + Character.toUpperCase(name.charAt(0)) + name.substring(1), n, MetricUnit.COUNT);
            }
        });
        metrics.flush();
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("sweepId", sweepId);
        result.put("region", region);
        result.put("reportOnly", request.path("reportOnly").asBoolean(true));
        page.nextToken().ifPresentOrElse(token -> result.put("startAfter", token), () -> result.putNull("startAfter"));
        result.put("done", page.nextToken().isEmpty());
        result.set("counts", counts(page.counts()));
        return result;
    }

    private ObjectNode finish(Sweeper sweeper, JsonNode request, Context context) {
        String sweepId = require(request, "sweepId");
        boolean reportOnly = request.path("reportOnly").asBoolean(true);
        Map<String, Integer> totals = sweeper.totals(sweepId);
        if (SweepSummary.worthSending(totals)) {
            // The function's own ARN names the account it sweeps.
            String account = context.getInvokedFunctionArn().split(":")[4];
            publisher.publish(SweepSummary.compose(sweepId, totals, reportOnly, account, services.homeRegion()));
        }
        sweeper.finish(sweepId);
        LOG.info("sweep {} finished: {}", sweepId, totals);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("sweepId", sweepId);
        result.set("totals", counts(totals));
        return result;
    }

    private static String require(JsonNode request, String field) {
        String value = Json.text(request, field);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the sweep request has no '" + field + "'");
        }
        return value;
    }

    private static ObjectNode counts(Map<String, Integer> counts) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        counts.forEach(tree::put);
        return tree;
    }
}
