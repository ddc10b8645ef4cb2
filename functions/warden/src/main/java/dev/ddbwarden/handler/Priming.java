package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ddbwarden.alert.AlertComposer;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.DynamoLedger;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.Replicas;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.cloudwatchlogs.emf.exception.DimensionSetExceededException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidDimensionException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidMetricException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidNamespaceException;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Warms a handler's code paths before a SnapStart snapshot is taken, so that a restored snapshot serves
 * its first event warm: the classes first invocations load ({@code priming/classes.txt}, written by
 * bench/priming-classes), JSON reading and writing ({@link JsonText}), the EMF library's serializer (on a
 * metric line that is never printed: a metric from priming would be counted in CloudWatch),
 * the event parser on sample events shipped in {@code priming/}, every registered check on synthetic
 * table states, the alert composer, and the SDK clients' marshalling, signing and HTTP paths.
 *
 * <p><b>Priming changes nothing in any account.</b> It makes read calls only, and only calls the
 * function's role already may make: DescribeTable of a table name nobody uses ({@link #PROBE_TABLE},
 * answered with ResourceNotFoundException, which is expected and swallowed; were such a table to exist, it
 * would only be read), GetItem on the ledger with a key no CloudTrail event can have, GetQueueAttributes
 * of the re-check queue and GetTopicAttributes of the alert topic. Never a write, never a publish; the
 * sample events name a fictitious table that is never called. PrimingTest holds this to an allow-list of
 * read operations. Every step is independent: a step that fails (no network, a missing permission) is
 * logged and skipped, and {@link #beforeCheckpoint} never throws, so a snapshot is still taken.
 *
 * <p>Register it once per container from the handler's constructor, keeping a reference:
 * {@code Core.getGlobalContext().register(priming)}. Outside SnapStart (a local run, a JVM without
 * CRaC) registration is a no-op and nothing here runs.
 */
public final class Priming implements Resource {
    /** A valid table name that no one uses; DescribeTable of it warms the client and changes nothing. */
    public static final String PROBE_TABLE = "ddb-warden-priming-probe-never-created";
    /** The read calls priming may make, as SDK client method names; PrimingTest holds it to these. */
    public static final Set<String> READ_CALLS = Set.of("describeTable", "getItem", "getQueueAttributes", "getTopicAttributes");
    static final List<String> EVENTS = List.of("priming/create-table.json", "priming/put-resource-policy.json");
    /** Classes first invocations load after init (written by bench/priming-classes), loaded and initialized here. */
    static final String CLASSES = "priming/classes.txt";
    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    private static final String PROBE_EVENT_ID = "ddb-warden-priming";
    private static final String PUBLIC_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Sid\":\"Reader\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:role/reader\"},"
            + "\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\"},"
            + "{\"Sid\":\"Everyone\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"dynamodb:Query\"],\"Resource\":\"*\"},"
            + "{\"Sid\":\"Org\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"dynamodb:Scan\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}]}";

    private final Services services;

    /** @param services the handler's own services: the clients primed are the ones it will use */
    public Priming(Services services) {
        this.services = services;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to restore: clients reconnect by themselves, and nothing here holds state.
    }

    /** What one priming did: the steps that ran, and why any other failed. */
    public record Report(List<String> done, Map<String, String> failed, long millis) {
    }

    /** Runs every step; never throws. */
    public Report prime() {
        long start = System.nanoTime();
        List<String> done = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<ApiCall> calls = new ArrayList<>();
        step("classes", done, failed, this::loadClasses);
        step("events", done, failed, () -> calls.addAll(parseEvents()));
        step("checks and alerts", done, failed, () -> evaluateChecks(calls));
        step("result JSON", done, failed, this::writeResult);
        step("metrics", done, failed, Priming::serializeMetrics);
        step("DynamoDB client", done, failed, this::describeProbe);
        Settings settings = services.settings();
        if (settings.hasLedger()) {
            step("ledger", done, failed, this::readLedger);
        }
        if (settings.hasRecheckQueue()) {
            step("re-check queue", done, failed, () -> services.sqs().getQueueAttributes(r -> r
                    .queueUrl(settings.recheckQueueUrl()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
        }
        if (settings.hasAlertTopic()) {
            step("alert topic", done, failed, this::readTopic);
        }
        Report report = new Report(List.copyOf(done), java.util.Collections.unmodifiableMap(failed),
                (System.nanoTime() - start) / 1_000_000);
        LOG.info("primed for the snapshot in {} ms: {}{}", report.millis(), done,
                failed.isEmpty() ? "" : "; skipped " + failed);
        return report;
    }

    private static void step(String name, List<String> done, Map<String, String> failed, Runnable work) {
        try {
            work.run();
            done.add(name);
        } catch (RuntimeException | LinkageError e) {
            failed.put(name, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Loads and initializes every class named in {@link #CLASSES}, as Powertools' own ClassPreLoader does:
     * what the first invocation would otherwise load while an event waits. Static initializers are what
     * that invocation would run anyway; a name that no longer exists is skipped.
     */
    private void loadClasses() {
        ClassLoader loader = Priming.class.getClassLoader();
        int missing = 0;
        try (InputStream in = loader.getResourceAsStream(CLASSES)) {
            if (in == null) {
                throw new IllegalStateException(CLASSES + " is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#") || registersWithCrac(name)) {
                    continue;
                }
                try {
                    Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    missing++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (missing > 0) {
            LOG.debug("{} classes named in {} could not be loaded", missing, CLASSES);
        }
    }

    /**
     * Classes whose initializer registers a CRaC resource: initializing one while the checkpoint's
     * resources are being notified could fail it, so they are left to the first invocation as today.
     */
    static boolean registersWithCrac(String className) {
        return className.startsWith("org.crac.") || className.equals("software.amazon.lambda.powertools.metrics.MetricsFactory");
    }

    /**
     * The shipped samples, and for every call a registered rule reads that no sample makes, the first sample
     * renamed to it: each rule's decision code runs on each of its triggers, and a new rule needs no sample here.
     */
    List<ApiCall> parseEvents() {
        List<JsonNode> events = new ArrayList<>();
        for (String resource : EVENTS) {
            try (InputStream in = Priming.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from the jar");
                }
                events.add(JsonText.read(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<String> primed = new HashSet<>();
        events.forEach(event -> primed.add(event.path("detail").path("eventName").asText()));
        for (Rule rule : Rules.all()) {
            for (String eventName : rule.eventNames()) {
                if (primed.add(eventName)) {
                    ObjectNode renamed = events.get(0).deepCopy();
                    ((ObjectNode) renamed.get("detail")).put("eventName", eventName);
                    events.add(renamed);
                }
            }
        }
        List<ApiCall> calls = new ArrayList<>();
        for (JsonNode event : events) {
            if (ApiCallParser.parse(event) instanceof Parsed.Call call) {
                TableLocator.locate(call.call());
                calls.add(call.call());
            }
        }
        return calls;
    }

    /** Every registered check on every sample call and a range of synthetic states, and the alerts they give. */
    private void evaluateChecks(List<ApiCall> calls) {
        Settings settings = services.settings();
        Instant now = Instant.now();
        for (ApiCall call : calls) {
            for (Rule rule : Rules.all()) {
                rule.reads(call);
                for (TableRef table : rule.subjects(call)) {
                    for (Optional<TableState> state : states(table)) {
                        state.ifPresent(s -> JsonText.write(s.summary()));
                        for (Finding finding : rule.evaluate(call, table, state, settings, now)) {
                            AlertComposer.compose(finding, call, new Outcome(Outcome.Action.FIXED, finding.remedy().done()));
                            AlertComposer.compose(finding, call, new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE,
                                    finding.remedy().manualStep(table)));
                        }
                    }
                }
            }
        }
    }

    private static List<Optional<TableState>> states(TableRef table) {
        String arn = table.arn();
        String stream = arn + "/stream/2024-05-14T09:12:03.000";
        ResourcePolicy policy = new ResourcePolicy(arn, PUBLIC_POLICY, "1715677923000");
        ResourcePolicies policies = new ResourcePolicies(Optional.of(policy), stream,
                Optional.of(new ResourcePolicy(stream, PUBLIC_POLICY, "1715677923001")));
        return List.of(
                Optional.empty(),
                Optional.of(new TableState(table, "ACTIVE", Map.of())),
                Optional.of(new TableState(table, "ACTIVE", Map.of("team", "payments"))),
                Optional.of(new TableState(table, "CREATING", Map.of())),
                Optional.of(new TableState(table, "ACTIVE", Map.of("ddb-warden:decommission", "2000-01-01T00:00:00Z"))),
                Optional.of(new TableState(table, "ACTIVE", Map.of())
                        .withAugment(ResourcePolicies.class, policies)
                        .withAugment(Replicas.class, new Replicas(List.of("ap-southeast-2")))));
    }

    /** The handler's output: results in a tree, written to a stream. */
    private void writeResult() {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("eventId", PROBE_EVENT_ID);
        result.put("eventName", "CreateTable");
        Result.addAll(result.putArray("results"), List.of(new Result("deletion-protection",
                "arn:aws:dynamodb:us-east-1:000000000000:table/" + PROBE_TABLE, "MEDIUM", "FIXED", "sent")));
        try {
            JsonText.write(result, new ByteArrayOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a first flush builds (the EMF library's bean serializers), on a line that is built and dropped. */
    private static void serializeMetrics() {
        MetricsContext metrics = new MetricsContext();
        try {
            metrics.setNamespace("ddb-warden");
            metrics.putDimension("Rule", "priming");
            metrics.putMetric("Findings", 1, Unit.COUNT);
            metrics.serialize();
        } catch (InvalidNamespaceException | InvalidDimensionException | DimensionSetExceededException
                 | InvalidMetricException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void describeProbe() {
        try {
            services.dynamo().describeTable(r -> r.tableName(PROBE_TABLE));
        } catch (ResourceNotFoundException expected) {
            // The answer priming wants: the call went all the way through and nothing exists.
        }
    }

    /** GetItem of a key no CloudTrail event ID can take: the ledger's read path, item unmarshalling included. */
    private void readLedger() {
        String region = services.dynamo().serviceClientConfiguration().region().id();
        new DynamoLedger(services.dynamo(), services.settings().ledgerTable(), services.clock())
                .find(LedgerKey.of(PROBE_EVENT_ID, "priming", "arn:aws:dynamodb:" + region + ":000000000000:table/" + PROBE_TABLE));
    }

    /** GetTopicAttributes warms the query protocol and XML parsing Publish uses; the request Publish sends is built, not sent. */
    private void readTopic() {
        String topic = services.settings().alertTopicArn();
        PublishRequest.builder().topicArn(topic).subject("[MEDIUM] priming").message("priming")
                .messageAttributes(Map.of("severity", MessageAttributeValue.builder().dataType("String").stringValue("MEDIUM").build()))
                .build();
        services.sns().getTopicAttributes(r -> r.topicArn(topic));
    }
}
