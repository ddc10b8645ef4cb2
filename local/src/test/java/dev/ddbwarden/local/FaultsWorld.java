package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.Sleeper;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One scenario's estate in moto_server (reset first): the alert topic with its SQS inbox, the ledger, the
 * Lambda failure queue and the EventBridge dead-letter queue, a {@link FaultProxy} in front of moto, and the
 * settings every function gets. Setup and inspection talk to moto directly; only the handlers go through
 * the proxy.
 */
final class FaultsWorld implements AutoCloseable {
    static final String FAILURE_QUEUE = "ddb-warden-failures";
    static final String DEAD_LETTER_QUEUE = "ddb-warden-event-dlq";
    static final String APPROVED_ROLE = "arn:aws:iam::" + LocalAws.ACCOUNT + ":role/dba-decommission";
    static final String TRUSTED_ACCOUNT = "444455556666";
    static final String TRUSTED_ORG = "o-trusted1234";
    /** A deployed stack's name: function ARNs in failure records carry it, replay-failures must see past it. */
    static final String DEPLOYED_STACK = "ddb-warden-prod";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The export samples' buckets and their regions: two in the allowed region, one outside it. */
    private static final Map<String, String> SAMPLE_BUCKETS = Map.of("orders-backups", LocalAws.REGION,
            "exfil-bucket", LocalAws.REGION, "orders-archive-apse2", "ap-southeast-2");

    final MotoServer moto;
    final FaultProxy proxy;
    final LocalEstate estate;
    final SqsClient sqs;
    final String topicArn;
    final String failureQueueUrl;
    final String deadLetterQueueUrl;
    final Template template;
    final EventRoutes routes;
    final Map<String, String> env;
    /** CloudTrail's LookupEvents, which moto lacks, on loopback: it holds what the scenario records. */
    final LocalTrail trail;
    private final Map<String, LocalEstate> regions = new HashMap<>();
    private final Map<String, String> functionNames = new LinkedHashMap<>();
    private final Map<String, String> skipped = new java.util.concurrent.ConcurrentHashMap<>();
    private LocalKeys keys;
    private LocalOrganizations organizations;
    private String root;
    private String ou;
    private LocalDax dax;

    private FaultsWorld(MotoServer moto, long seed, Map<String, String> extraEnv) throws Exception {
        this.moto = moto;
        moto.reset();
        this.estate = new LocalEstate();
        this.sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        this.topicArn = estate.createAlertTopic();
        estate.createLedger();
        this.failureQueueUrl = sqs.createQueue(r -> r.queueName(FAILURE_QUEUE)).queueUrl();
        this.deadLetterQueueUrl = sqs.createQueue(r -> r.queueName(DEAD_LETTER_QUEUE)).queueUrl();
        this.template = Project.template();
        this.routes = EventRoutes.of(template);
        this.proxy = FaultProxy.start(moto.endpoint(), seed);
        this.trail = LocalTrail.start();
        trail.pointAt();
        this.env = settings(topicArn, extraEnv);
        for (String region : ProxiedServices.REGIONS) {
            in(region);
        }
        // The buckets the export samples name, where S3 holds them: the egress rule asks S3 for each export's region.
        SAMPLE_BUCKETS.forEach(estate::createBucket);
        TemplateValues values = new TemplateValues(template.parameters(), Map.of(), LocalAws.REGION, LocalAws.ACCOUNT);
        String stack = values.resolve(Map.of("Ref", "AWS::StackName"));
        for (String id : template.functionIds()) {
            Object declared = Template.map(template.resource(id).get("Properties")).get("FunctionName");
            String name = declared == null ? id : values.resolve(declared);
            functionNames.put(id, name.startsWith(stack) ? DEPLOYED_STACK + name.substring(stack.length()) : name);
        }
    }

    /**
     * The settings every function gets: the template's, with this estate's topic and ledger, and every rule in its
     * default mode (the oracle judges them all), the point-in-time-recovery rule's reports of new tables aside.
     */
    static Map<String, String> settings(String topicArn, Map<String, String> extraEnv) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ALERT_TOPIC_ARN", topicArn);
        settings.put("LEDGER_TABLE", LocalEstate.LEDGER);
        settings.put("ALLOWED_REGIONS", LocalAws.REGION);
        settings.put("TRUSTED_ACCOUNTS", TRUSTED_ACCOUNT);
        settings.put("TRUSTED_ORG_IDS", TRUSTED_ORG);
        settings.put("STACK_NAME", TemplateValues.STACK_NAME);
        settings.put("AWS_REGION", LocalAws.REGION);
        // The oracle judges every rule in its default mode but one report: the point-in-time-recovery rule's of new
        // tables without PITR (notify), one more alert on every new table, which its own tests hold.
        settings.put("PITR_ON_NEW_TABLES", "off");
        // The roles the samples of issue 16 name for a trusted actor: the responder who disables a key on purpose
        // (table-key-disable-key-approved.json) and the platform admin who declares TTL (tag-resource-ttl-declaration.json).
        settings.put("APPROVED_PRINCIPALS", String.join(",", APPROVED_ROLE, "arn:aws:iam::" + LocalAws.ACCOUNT + ":role/PlatformAdmin",
                "arn:aws:iam::" + LocalAws.ACCOUNT + ":role/platform-admin"));
        // private-network's PrivateTables and AllowedVpcEndpoints: the corpus's pn?-* tables, through the samples' endpoint.
        settings.putAll(CorpusNetwork.SETTINGS);
        settings.putAll(extraEnv);
        return Map.copyOf(settings);
    }

    /** A fresh estate in {@code moto} (which this resets), with a proxy seeded by {@code seed}. */
    static FaultsWorld create(MotoServer moto, long seed, Map<String, String> extraEnv) throws Exception {
        return new FaultsWorld(moto, seed, extraEnv);
    }

    Settings settings() {
        return Settings.from(env::get, Rules.settingNames());
    }

    /** ddb-warden's clients, pointed at the proxy, with {@code clock} and {@code sleeper}. */
    Services services(Clock clock, Sleeper sleeper) {
        return ProxiedServices.with(ProxiedServices.create(proxy.endpoint(), settings()), clock, sleeper);
    }

    /**
     * A handler for every function in template.yaml that takes its clients as the event-driven ones do (the rule
     * functions' WardenHandler with its RULE, the watcher's constructor of {@link Services}), each built as the
     * Lambda runtime would, on {@code services}. The
     * others (the scheduled sweep) are left out and named in {@link #skipped()}.
     */
    Map<String, RequestStreamHandler> handlers(Services services) {
        Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
        for (String id : template.functionIds()) {
            FunctionSpec spec = template.function(id).orElseThrow();
            try {
                handlers.put(id, Handlers.build(spec, services));
            } catch (NoSuchMethodException e) {
                // Only the scheduled sweep is built otherwise; its faults (a page cut midway, a region failing, the cap
                // under concurrency) are SweepIT's.
                skipped.put(id, spec.handler() + " has no constructor taking Services alone: not event-driven;"
                        + " SweepIT covers the sweep's faults");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + id + " (" + spec.handler() + "): " + e.getCause(), e);
            }
        }
        return handlers;
    }

    /** Functions of the template no scenario can build, and why. */
    Map<String, String> skipped() {
        return Map.copyOf(skipped);
    }

    List<String> functionIds() {
        return template.functionIds();
    }

    int timeoutSeconds(String function) {
        return template.function(function).orElseThrow().timeoutSeconds();
    }

    int memoryMb(String function) {
        return template.function(function).orElseThrow().memoryMb();
    }

    /** The deployed function's ARN, as Lambda writes it into an on-failure record. */
    String functionArn(String function) {
        return "arn:aws:lambda:" + LocalAws.REGION + ":" + LocalAws.ACCOUNT + ":function:" + functionNames.get(function) + ":$LATEST";
    }

    /** The estate seen from {@code region} (moto keeps each region's tables apart). */
    synchronized LocalEstate in(String region) {
        if (LocalAws.REGION.equals(region)) {
            return estate;
        }
        return regions.computeIfAbsent(region, estate::inRegion);
    }

    /** Every alert in the inbox, removed: SNS envelopes with Subject and Message. */
    List<JsonNode> drainAlerts() throws IOException {
        String inbox = estate.inboxUrl();
        List<JsonNode> alerts = new ArrayList<>();
        for (int round = 0; round < 100_000; round++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(inbox).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .visibilityTimeout(120)).messages();
            if (messages.isEmpty()) {
                return alerts;
            }
            for (Message message : messages) {
                alerts.add(JSON.readTree(message.body()));
            }
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id("m" + i).receiptHandle(messages.get(i).receiptHandle()).build());
            }
            sqs.deleteMessageBatch(r -> r.queueUrl(inbox).entries(entries));
        }
        throw new IllegalStateException("the inbox never emptied");
    }

    /** Messages in a queue, visible or not. */
    int depth(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /**
     * Runs replay-failures' own code over a queue, with handlers pointed at the proxy and living at
     * {@code clock} (an operator runs it minutes after the alarm, not in the same second), until the queue is
     * empty or {@code runs} runs are done; what the handlers returned goes to {@code tally}.
     */
    ReplayFailures.Summary replay(String queueUrl, Clock clock, Tally tally, int runs) throws Exception {
        Function<Settings, Services> factory = settings -> ProxiedServices.with(
                ProxiedServices.create(proxy.endpoint(), settings), clock, dev.ddbwarden.state.Sleeper.REAL);
        int replayed = 0;
        int failed = 0;
        int unroutable = 0;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        for (int run = 0; run < runs && depth(queueUrl) > 0; run++) {
            if (run > 0) {
                Thread.sleep(1_200);
            }
            ReplayFailures.Summary summary = new ReplayFailures(template, Map.of(), (Path) null, env, factory, sqs,
                    new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8))
                    .waitSeconds(0).visibilitySeconds(1)
                    .onResult((function, result) -> tally.result(result))
                    .replay(queueUrl, 10_000);
            replayed += summary.replayed();
            failed = summary.failed();
            unroutable = summary.unroutable();
        }
        String report = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        report.lines().filter(l -> !l.startsWith("replayed")).limit(3)
                .forEach(l -> tally.note("replay kept: " + l.substring(0, Math.min(l.length(), 300))));
        return new ReplayFailures.Summary(replayed, failed, unroutable);
    }

    /** Customer managed keys in moto, and tables under them (made on first use). */
    synchronized LocalKeys keys() {
        if (keys == null) {
            keys = new LocalKeys(estate.dynamo());
        }
        return keys;
    }

    /** AWS Organizations in moto, with an organization, SCPs enabled on its root and one OU (made on first use). */
    synchronized LocalOrganizations organizations() {
        if (organizations == null) {
            organizations = new LocalOrganizations(moto.endpoint());
            root = organizations.root();
            ou = organizations.createOu("prod");
        }
        return organizations;
    }

    synchronized String root() {
        organizations();
        return root;
    }

    synchronized String ou() {
        organizations();
        return ou;
    }

    /** DAX clusters and IAM in moto (made on first use). */
    synchronized LocalDax dax() {
        if (dax == null) {
            dax = new LocalDax();
        }
        return dax;
    }

    Optional<String> policy(String region, String table) {
        return in(region).policy(table);
    }

    @Override
    public void close() {
        trail.close();
        proxy.close();
        if (keys != null) {
            keys.close();
        }
        if (organizations != null) {
            organizations.close();
        }
        if (dax != null) {
            dax.close();
        }
        sqs.close();
        regions.values().forEach(LocalEstate::close);
        estate.close();
    }
}
