package dev.ddbwarden.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.alert.SweepSummary;
import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.AllowedRegions;
import dev.ddbwarden.config.Lazy;
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
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/**
 * SweepRegionFunction, driven by the sweep's state machine: {@code start} decides the sweep's ID, whether every
 * account only reports, and the accounts to sweep (the SweepAccounts list, else the Organization's ACTIVE accounts
 * when a member role is set, else this account alone; this account always); {@code regions} the sweep's regions an
 * account has enabled ({@link AccountRegions}), first in each account's child execution; {@code page} sweeps one page of one
 * region of one account and returns where to resume (so no invocation nears the Lambda timeout and no Lambda calls
 * itself); {@code failed} counts a region of an account whose retries were spent, so the summary names it;
 * {@code finish} sends the one summary alert.
 */
public final class SweepRegionHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SweepRegionHandler.class);
    private static final Duration TIME_MARGIN = Duration.ofSeconds(10);

    private final Services services;
    private final Supplier<SweepSettings> sweepSettings;
    private final Ledger ledger;
    private final AlertPublisher publisher;
    /** Whether the sweep covers the Organization: a member role is set (MEMBER_ROLE_NAME). */
    private final boolean organization;
    private final Supplier<List<String>> organizationAccounts;
    private final Lazy<AccountRegions> accountRegions;
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
        this(services, sweepSettings, !services.settings().memberRoleName().isEmpty(),
                () -> OrganizationAccounts.standard().active());
    }

    SweepRegionHandler(Services services, Supplier<SweepSettings> sweepSettings, boolean organization,
                       Supplier<List<String>> organizationAccounts) {
        // The sweep quarantines like RegionGuardFunction, so it refuses the same untrustworthy list, now and on
        // every re-read of the settings parameter.
        String home = services.homeRegion();
        services.settingsSource().require(settings -> AllowedRegions.require(settings.allowedRegions(), home));
        this.services = services;
        this.sweepSettings = sweepSettings;
        this.publisher = Spine.publisher(services);
        this.ledger = Spine.ledger(services);
        this.organization = organization;
        this.organizationAccounts = organizationAccounts;
        this.accountRegions = Lazy.of(() -> AccountRegions.standard(home));
        sweeper(services.settings());
    }

    private Sweeper sweeper(Settings settings) {
        if (settings != built) {
            sweeper = new Sweeper(services, ledger, publisher, account -> AccountAccess.instance().mayActIn(account));
            built = settings;
        }
        return sweeper;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = JsonText.read(input.readAllBytes());
        AccountAccess.runsIn(ownAccount(context));
        ObjectNode result = PowertoolsLogging.withLogging(context, () -> handle(request, context));
        JsonText.write(result, output);
    }

    private ObjectNode handle(JsonNode request, Context context) {
        Sweeper sweeper = sweeper(services.settings());
        String action = Json.text(request, "action");
        switch (action) {
            case "start":
                return start(request, context);
            case "regions":
                return regions(request, context);
            case "page":
                return page(sweeper, request, context);
            case "failed":
                return failed(sweeper, request, context);
            case "finish":
                return finish(sweeper, request, context);
            default:
                throw new IllegalArgumentException("unknown sweep action '" + action + "'; expected start, regions, page, failed or finish");
        }
    }

    private ObjectNode start(JsonNode request, Context context) {
        String sweepId = Json.text(request, "sweepId");
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("sweepId", sweepId.isEmpty() ? services.clock().instant() + "-" + UUID.randomUUID().toString().substring(0, 8) : sweepId);
        // Forced only: whether an account's first sweep only reports is each account's own, decided by its first page.
        result.put("reportOnly", sweepSettings.get().reportOnly());
        ArrayNode accounts = result.putArray("accounts");
        accounts(Json.text(request, "accounts"), ownAccount(context)).forEach(accounts::add);
        return result;
    }

    /** The SweepAccounts list, else the Organization's ACTIVE accounts, else this account; this account always, first. */
    private List<String> accounts(String configured, String own) {
        Set<String> accounts = new LinkedHashSet<>(List.of(own));
        if (!configured.isBlank()) {
            Arrays.stream(configured.split(",")).map(String::strip).filter(id -> !id.isEmpty()).forEach(accounts::add);
        } else if (organization) {
            accounts.addAll(organizationAccounts.get());
        }
        LOG.info("sweep covers {} account(s)", accounts.size());
        return List.copyOf(accounts);
    }

    /** The function's own ARN names the security account it runs in. */
    private static String ownAccount(Context context) {
        return context.getInvokedFunctionArn().split(":")[4];
    }

    /**
     * The parent's regions this account walks: those enabled in it, or all of them when SweepRegions named them
     * ({@code configured} is that parameter's value) or the account cannot say.
     */
    private ObjectNode regions(JsonNode request, Context context) {
        String account = Json.text(request, "account").isEmpty() ? ownAccount(context) : Json.text(request, "account");
        List<String> sweep = StreamSupport.stream(request.path("regions").spliterator(), false).map(JsonNode::asText).toList();
        List<String> walked = accountRegions.get().of(account, sweep, !Json.text(request, "configured").isBlank());
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("account", account);
        walked.forEach(result.putArray("regions")::add);
        return result;
    }

    private ObjectNode page(Sweeper sweeper, JsonNode request, Context context) {
        String sweepId = require(request, "sweepId");
        String region = require(request, "region");
        String startAfter = Json.text(request, "startAfter");
        // The item's account; a request naming none (a state machine of before the Organization sweep) is this account's.
        String account = Json.text(request, "account").isEmpty() ? ownAccount(context) : Json.text(request, "account");
        TimeBudget budget = TimeBudget.of(services.clock(), Duration.ofMillis(context.getRemainingTimeInMillis()), TIME_MARGIN);
        boolean reportOnly = sweeper.reportOnlyIn(sweepId, account, request.path("reportOnly").asBoolean(true));
        SweepPage page = sweeper.page(sweepId, account, region, startAfter.isEmpty() ? Optional.empty() : Optional.of(startAfter),
                reportOnly, sweepSettings.get().maxFixes(), budget);
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
        result.put("account", account);
        result.put("region", region);
        result.put("reportOnly", request.path("reportOnly").asBoolean(true));
        page.nextToken().ifPresentOrElse(token -> result.put("startAfter", token), () -> result.putNull("startAfter"));
        result.put("done", page.nextToken().isEmpty());
        result.set("counts", counts(page.counts()));
        return result;
    }

    /** A region of an account whose pages failed past the state machine's retries: counted, the others go on. */
    private ObjectNode failed(Sweeper sweeper, JsonNode request, Context context) {
        String sweepId = require(request, "sweepId");
        String account = Json.text(request, "account").isEmpty() ? ownAccount(context) : Json.text(request, "account");
        String region = require(request, "region");
        JsonNode error = request.path("error");
        String why = (Json.text(error, "Error") + " " + Json.text(error, "Cause")).strip();
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.set("counts", counts(sweeper.regionFailed(sweepId, account, region, why.length() > 500 ? why.substring(0, 500) : why)));
        return result;
    }

    private ObjectNode finish(Sweeper sweeper, JsonNode request, Context context) {
        String sweepId = require(request, "sweepId");
        Map<String, Integer> totals = sweeper.totals(sweepId);
        // Report only as a whole when forced, or when every account swept was in its first sweep.
        boolean reportOnly = request.path("reportOnly").asBoolean(true) || (request.path("accounts").size() > 0
                && StreamSupport.stream(request.path("accounts").spliterator(), false)
                .allMatch(account -> totals.containsKey(Sweeper.reportOnlyKey(account.asText()))));
        if (SweepSummary.worthSending(totals)) {
            publisher.publish(SweepSummary.compose(sweepId, totals, reportOnly, ownAccount(context), services.homeRegion()));
        }
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
