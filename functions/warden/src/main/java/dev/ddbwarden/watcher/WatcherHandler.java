package dev.ddbwarden.watcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.Decisions;
import dev.ddbwarden.ledger.LedgerEntry;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.metrics.WardenMetrics;
import dev.ddbwarden.state.TimeBudget;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.ddbwarden.handler.AlertSender;
import dev.ddbwarden.handler.Grants;
import dev.ddbwarden.handler.Priming;
import dev.ddbwarden.handler.Result;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.Spine;

/**
 * WatcherFunction: alerts when someone blinds or disarms ddb-warden (its trail, rules, functions and
 * their alias, queues, alert topic and its key, sweep, roles or ledger). It reads no resource and fixes
 * nothing; the ledger makes each call one alert, however often EventBridge delivers it. Bad input is
 * logged and dropped; AWS errors are thrown so that Lambda retries.
 */
public final class WatcherHandler implements RequestStreamHandler {
    /** Logical ID of the function in template.yaml. */
    public static final String FUNCTION = "WatcherFunction";
    /**
     * IAM actions the watcher needs: its settings, the ledger, publishing to the encrypted topic, the on-failure queue
     * and its log group. template.yaml grants WatcherRole exactly these; a test holds it to that.
     */
    public static final Set<String> GRANTS = union(Grants.SETTINGS, Grants.LEDGER, Grants.ALERT, Set.of("sqs:SendMessage"), Grants.LOGS);

    private static final Logger LOG = LoggerFactory.getLogger(WatcherHandler.class);
    private static final String CORRELATION_ID = "correlation_id";
    private static final Duration TIME_MARGIN = Duration.ofSeconds(10);
    private static final Set<String> LEDGER_UNUSABLE = Set.of("ResourceNotFoundException", "AccessDeniedException");

    private final Services services;
    private final String region;
    /** What the watcher guards under {@link #built}: rebuilt when the settings source gives others. */
    private Watched watched;
    private Settings built;
    private final Decisions ledger;
    private final AlertPublisher publisher;
    private final AlertSender alerts;
    /** Held here: a CRaC context keeps its resources only weakly. */
    private final Priming priming;

    /** Called by the Lambda runtime: settings and clients come from the environment. */
    public WatcherHandler() {
        this(Services.fromEnvironment());
    }

    /** @throws ConfigException naming STACK_NAME when it is empty: the watcher could tell nothing apart */
    public WatcherHandler(Services services) {
        Settings settings = services.settings();
        if (settings.stackName().isEmpty()) {
            throw new ConfigException(EnvVar.STACK_NAME, "is empty; the watcher knows ddb-warden's resources by the"
                    + " name of its stack");
        }
        this.region = services.homeRegion();
        this.services = services;
        watched(settings);
        this.ledger = Spine.ledger(services);
        this.publisher = Spine.publisher(services);
        this.alerts = new AlertSender(ledger, publisher, services.clock(), services.sleeper());
        this.priming = new Priming(services);
        Core.getGlobalContext().register(priming);
    }

    private Watched watched(Settings settings) {
        if (settings != built) {
            watched = new Watched(settings.stackName(), partition(region), region, settings.deploymentRoleArn(),
                    settings.alertKeyArn());
            built = settings;
        }
        return watched;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ObjectNode result = PowertoolsLogging.withLogging(context, () -> handle(input,
                TimeBudget.of(services.clock(), Duration.ofMillis(context.getRemainingTimeInMillis()), TIME_MARGIN)));
        JsonText.write(result, output);
    }

    private ObjectNode handle(InputStream input, TimeBudget budget) {
        JsonNode event;
        try {
            event = JsonText.read(input.readAllBytes());
        } catch (JsonProcessingException e) {
            return ignored("the event is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Parsed parsed = ApiCallParser.parse(event);
        if (parsed instanceof Parsed.Rejected rejected) {
            return ignored(rejected.reason());
        }
        ApiCall call = ((Parsed.Call) parsed).call();
        MDC.put(CORRELATION_ID, call.eventId());
        if (call.failed()) {
            return ignored(call.eventName() + " failed with " + call.errorCode() + "; nothing changed");
        }
        Watched watched = watched(services.settings());
        Optional<Tampering> tampering = Watcher.classify(call, watched);
        if (tampering.isEmpty()) {
            return ignored(call.eventName() + " from " + call.eventSource() + " leaves ddb-warden's stack "
                    + watched.stackName() + " alone");
        }
        Metrics metrics = WardenMetrics.instance();
        metrics.addDimension("Rule", Tampering.RULE);
        Result result;
        try {
            result = alert(call, tampering.get(), budget);
            metrics.addMetric("Tampering", 1, MetricUnit.COUNT);
        } catch (RuntimeException e) {
            metrics.addMetric("Failures", 1, MetricUnit.COUNT);
            throw e;
        } finally {
            metrics.flush();
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("eventId", call.eventId());
        out.put("eventName", call.eventName());
        Result.addAll(out.putArray("results"), List.of(result));
        return out;
    }

    /**
     * One alert per call and resource: the entry is written DONE with its alert PENDING before anything
     * is sent, so a re-delivery finds it, and a run that died before sending is finished by the next.
     */
    private Result alert(ApiCall call, Tampering tampering, TimeBudget budget) {
        LedgerKey key = LedgerKey.of(call.eventId(), Tampering.RULE, tampering.resource());
        Alert alert = TamperingComposer.compose(tampering, call);
        if (services.settings().hasAlertTopic()) {
            // Logged in full first: if the topic itself is what was deleted, this log line is where the alert lives.
            LOG.warn("{}\n{}", alert.subject(), alert.body());
        }
        Optional<LedgerEntry> earlier;
        boolean opened;
        try {
            earlier = ledger.find(key);
            if (earlier.isPresent()) {
                return finishEarlier(earlier.get(), budget);
            }
            opened = ledger.open(new LedgerEntry(key, Tampering.RULE, tampering.resource(), call.eventName(),
                    call.actor().describe(), tampering.severity().name(), tampering.what(), "", "",
                    Outcome.Action.ALERTED.name(), LedgerEntry.Status.DONE, Optional.of(alert),
                    LedgerEntry.AlertStatus.PENDING, services.clock().instant()));
        } catch (DynamoDbException e) {
            if (!unusable(e)) {
                throw e;
            }
            // The ledger may be the very thing that was deleted or locked: its alert must not depend on it.
            LOG.warn("the ledger cannot be used ({}); alerting without it, so a re-delivery alerts again",
                    e.awsErrorDetails().errorCode());
            publisher.publish(alert);
            return new Result(Tampering.RULE, tampering.resource(), tampering.severity().name(),
                    Outcome.Action.ALERTED.name(), "sent without ledger");
        }
        if (!opened) {
            LOG.info("another invocation is handling {} for event {}; leaving it to that one", tampering.resource(),
                    call.eventId());
            return Result.skipped(Tampering.RULE, tampering.resource(), "HANDLED_ELSEWHERE");
        }
        return new Result(Tampering.RULE, tampering.resource(), tampering.severity().name(),
                Outcome.Action.ALERTED.name(), alerts.send(key, alert, budget));
    }

    private Result finishEarlier(LedgerEntry entry, TimeBudget budget) {
        if (entry.alertStatus() == LedgerEntry.AlertStatus.SENT || entry.alertStatus() == LedgerEntry.AlertStatus.NONE) {
            LOG.info("event already handled for {}; nothing to do", entry.tableArn());
            return Result.skipped(entry.rule(), entry.tableArn(), "ALREADY_HANDLED");
        }
        LOG.info("sending the alert an earlier attempt left pending for {}", entry.tableArn());
        return new Result(entry.rule(), entry.tableArn(), entry.severity(), entry.action(),
                alerts.send(entry.key(), entry.alert().orElseThrow(), budget));
    }

    /** The ledger table is gone or refuses us: waiting will not help, and the alert must still go out. */
    private static boolean unusable(DynamoDbException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code != null && LEDGER_UNUSABLE.contains(code);
    }

    private ObjectNode ignored(String reason) {
        LOG.info("event ignored: {}", reason);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("ignored", reason);
        return result;
    }

    private static String partition(String region) {
        RegionMetadata metadata = Region.of(region).metadata();
        return metadata == null ? "aws" : metadata.partition().id();
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
