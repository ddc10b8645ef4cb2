package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.check.Decommission;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.rules.Rules;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryDescription;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./warden demo}: a risky estate in a local moto_server, the events in events/ routed by the
 * template's own patterns to the real handlers, and what changed. Nothing leaves loopback.
 */
final class Demo {
    private static final String APPROVED_ROLE = "arn:aws:iam::" + LocalAws.ACCOUNT + ":role/dba-decommission";
    /** Tables the demo creates unprotected, as the events that name them left them. */
    private static final List<String> UNPROTECTED = List.of("orders", "payments", "orders-restored", "imported-orders",
            "invoices", "customers", "sessions", "audit-log", "legacy-sessions", "billing-archive");
    /** The table whose point-in-time recovery update-continuous-backups-off.json turns off. */
    private static final String PITR_TABLE = "payments";
    /** The table whose Time to Live update-time-to-live-enabled.json turns on, and the attribute. */
    private static final String TTL_TABLE = "orders";
    private static final String TTL_ATTRIBUTE = "createdAt";
    /** Protected tables whose resource policies the events below write. */
    private static final List<String> SHARED = List.of("shared-reports", "partner-feed", "org-analytics");
    /** A region outside ALLOWED_REGIONS, and the table someone created there with data in it. */
    private static final String FORBIDDEN_REGION = "ap-southeast-2";
    private static final String FORBIDDEN_TABLE = "customer-copy";
    private static final int FORBIDDEN_ITEMS = 25;
    /** Tables encrypted with the customer managed key table-key-disable-key.json disables. */
    private static final List<String> KEYED = List.of("ledger-archive", "card-tokens");
    /** The tag RequiredTags asks of every table, which untag-resource-required-tag.json takes from payments. */
    private static final String REQUIRED_TAG = "owner";
    private static final String UNTAGGED_TABLE = "payments";
    /** The SCP guardrails-detach-policy.json detaches, named as scp/README.md creates it. */
    private static final String GUARDRAIL = "ddb-warden-deny-delete-table";
    /** The bucket, in the forbidden region, that export-outside-allowed-regions.json exports orders to. */
    private static final String EXPORT_BUCKET = "orders-archive-apse2";
    /** The DAX cluster dax-create-cluster-plaintext.json created, in plain text, and its read-only service role. */
    private static final String DAX_CLUSTER = "orders-cache";
    private static final String DAX_ROLE = "dax-orders";
    /** The table PrivateTables keeps to its VPC endpoint: created as create-table-unprotected.json records it. */
    private static final String PRIVATE_TABLE = "orders";
    /**
     * The events replayed, in order; the last one is a re-delivery, which must change nothing. Each stands for
     * a call CloudTrail recorded, but for the forged one, which reuses another's event ID and claims otherwise.
     */
    private static final List<String> EVENTS = List.of(
            "create-table-unprotected.json",
            "update-table-protection-off.json",
            "restore-table-to-point-in-time.json",
            "import-table.json",
            "create-table-by-arn.json",
            "update-table-no-table-name.json",
            "update-table-resources-only.json",
            "create-table-root.json",
            "update-table-approved-decommission.json",
            "update-table-forged-decommission.json",
            "update-table-billing-mode.json",
            "create-table-failed.json",
            "create-table-other-account.json",
            "put-resource-policy-public.json",
            "put-resource-policy-cross-account.json",
            "put-resource-policy-trusted-org.json",
            "put-resource-policy-refused.json",
            "export-untrusted-bucket.json",
            "create-table-forbidden-region.json",
            "update-continuous-backups-off.json",
            "update-time-to-live-enabled.json",
            "backups-delete-backup.json",
            "table-key-disable-key.json",
            "update-table-sse-aws-owned.json",
            "export-outside-allowed-regions.json",
            "untag-resource-required-tag.json",
            "guardrails-detach-policy.json",
            "dax-create-cluster-plaintext.json",
            "iam-users-create-table.json",
            "private-network-data-get-item-outside.json",
            "create-table-unprotected.json");

    /** The template Parameters the demo deploys with; the others keep their defaults. */
    private static final Map<String, String> PARAMETERS = new java.util.TreeMap<>(Map.of(
            "ExemptTables", "scratch-*",
            "ApprovedPrincipals", APPROVED_ROLE,
            "AllowedRegions", LocalAws.REGION,
            "TrustedAccounts", "444455556666",
            "TrustedOrgIds", "o-trusted1234",
            "RequiredTags", REQUIRED_TAG,
            "PrivateTables", PRIVATE_TABLE,
            "AllowedVpcEndpoints", "vpce-0a1b2c3d4e5f60718"));

    private static final String FORGED = "update-table-forged-decommission.json";
    /** The terminal: libraries that print (the metrics library's local mode does) are sent elsewhere. */
    private static final PrintStream OUT = System.out;

    private Demo() {
    }

    static int run(Path root) throws Exception {
        Template template = Template.read(root.resolve("template.yaml"));
        EventRoutes routes = EventRoutes.of(template);
        ObjectMapper json = new ObjectMapper();
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        OUT.println("Starting moto_server on loopback...");
        try (MotoServer moto = MotoServer.start(); LocalEstate estate = pointedAt(moto); LocalTrail trail = LocalTrail.start();
             LocalKeys keys = new LocalKeys(estate.dynamo()); LocalOrganizations organizations = new LocalOrganizations(moto.endpoint())) {
            OUT.println("moto_server at " + moto.endpoint());
            trail.pointAt();
            OUT.println("CloudTrail's LookupEvents at " + trail.endpoint() + " (moto_server has none): it holds the record"
                    + " of every event below but " + FORGED + ", so ddb-warden confirms who acted before it honours"
                    + " an approved decommission (VERIFY_ACTORS=true)\n");
            String topicArn = estate.createAlertTopic();
            estate.createLedger();
            for (String table : UNPROTECTED) {
                estate.createTable(table, false);
            }
            for (String table : SHARED) {
                estate.createTable(table, true);
            }
            LocalEstate sydney = estate.inRegion(FORBIDDEN_REGION);
            sydney.createTable(FORBIDDEN_TABLE, false);
            UNPROTECTED.forEach(table -> owned(estate, table));
            owned(sydney, FORBIDDEN_TABLE);
            sydney.putItems(FORBIDDEN_TABLE, FORBIDDEN_ITEMS);
            String key = keys.createKey();
            KEYED.forEach(table -> keys.createTable(table, key));
            keys.disable(key);
            estate.createBucket(EXPORT_BUCKET, FORBIDDEN_REGION);
            // ddb-warden-deny-delete-table, attached to an OU and detached: guardrails-detach-policy.json records it.
            String orgRoot = organizations.root();
            String ou = organizations.createOu("prod");
            String guardrail = organizations.createScp(GUARDRAIL, Files.readString(root.resolve("scp/deny-delete-table.json")));
            organizations.attach(guardrail, ou);
            organizations.detach(guardrail, ou);
            try (LocalDax dax = new LocalDax()) {
                dax.createCluster(LocalAws.REGION, DAX_CLUSTER, false, false, dax.createRole(DAX_ROLE, LocalDax.READ_ONLY));
            }
            // Make the policy writes the events record, so that those tables hold what was written.
            Map<String, String> events = new LinkedHashMap<>();
            for (String file : new java.util.LinkedHashSet<>(EVENTS)) {
                String event = LocalOrganizations.event(LocalKeys.event(Files.readString(root.resolve("events").resolve(file)), key),
                        guardrail, ou, orgRoot);
                events.put(file, writesPolicy(json.readTree(event)) ? estate.replayPolicyWrite(event) : event);
                if (!FORGED.equals(file)) {
                    trail.record(events.get(file));
                }
            }
            // The TTL update-time-to-live-enabled.json records: moto then refuses nothing, so the fix lands at once.
            estate.dynamo().updateTimeToLive(r -> r.tableName(TTL_TABLE)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(TTL_ATTRIBUTE)));
            // The UntagResource untag-resource-required-tag.json records.
            String untagged = estate.describe(UNTAGGED_TABLE).tableArn();
            estate.dynamo().untagResource(r -> r.resourceArn(untagged).tagKeys(REQUIRED_TAG));
            Map<String, String> before = snapshot(estate);
            before.put(keyed(), keys.keyState(key));

            // The settings parameter as the stack would create it from these Parameters, read by the handlers
            // through the same SettingsSource a function uses; the stack's resources come from the environment.
            SettingsParameter parameter = SettingsParameter.of(template, new TemplateValues(template.parameters(),
                    PARAMETERS, LocalAws.REGION, LocalAws.ACCOUNT)).orElseThrow();
            parameter.putInto(estate.ssm());
            Map<String, String> environment = Map.of(
                    EnvVar.SETTINGS_PARAMETER, parameter.name(),
                    EnvVar.ALERT_TOPIC_ARN, topicArn,
                    EnvVar.LEDGER_TABLE, LocalEstate.LEDGER,
                    EnvVar.STACK_NAME, TemplateValues.STACK_NAME);
            SettingsSource settings = SettingsSource.of(environment::get, estate::ssm, Clock.systemUTC(), () -> { }, Rules.settingNames());
            Map<String, RequestStreamHandler> handlers = handlers(template, Services.create(settings));
            OUT.println("Settings: the parameter " + parameter.name() + ", written from template.yaml with " + PARAMETERS
                    + "\n");

            OUT.println("Replaying events/ through the functions EventBridge would invoke:");
            for (String file : EVENTS) {
                String event = events.get(file);
                Set<String> functions = routes.functionsFor(event);
                if (functions.isEmpty()) {
                    OUT.printf("  %-42s not delivered: no rule's pattern matches%n", file);
                }
                for (String function : functions) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    handlers.get(function).handleRequest(new ByteArrayInputStream(event.getBytes()), out,
                            new LocalContext(function, 512, 60));
                    OUT.printf("  %-42s -> %s: %s%n", file, function, outcome(json.readTree(out.toByteArray())));
                }
            }

            Map<String, String> after = snapshot(estate);
            after.put(keyed(), keys.keyState(key));
            OUT.printf("%nTables%n  %-30s %-44s %s%n", "TABLE", "BEFORE", "AFTER");
            for (String table : before.keySet()) {
                OUT.printf("  %-30s %-44s %s%n", table, before.get(table), after.get(table));
            }
            List<JsonNode> alerts = estate.drainAlerts();
            OUT.printf("%nAlerts received on the topic's SQS subscriber: %d%n", alerts.size());
            for (JsonNode alert : alerts) {
                OUT.println("  " + alert.path("Subject").asText());
            }
            alerts.stream().filter(a -> a.path("Subject").asText().startsWith("[CRITICAL]")).findFirst()
                    .or(() -> alerts.stream().findFirst())
                    .ifPresent(alert -> {
                        OUT.println("\n" + alert.path("Subject").asText() + ", in full:\n");
                        OUT.println(indent(alert.path("Message").asText()));
                    });
            OUT.println("Ledger entries: " + estate.ledgerItems().size()
                    + " (one per event, rule and table; the re-delivered event added none)");
        }
        OUT.println("moto_server stopped.");
        return 0;
    }

    /** Gives {@code table} the tag RequiredTags asks. */
    private static void owned(LocalEstate estate, String table) {
        String arn = estate.describe(table).tableArn();
        estate.dynamo().tagResource(r -> r.resourceArn(arn).tags(t -> t.key(REQUIRED_TAG).value("demo-team")));
    }

    /** The row of the key behind {@link #KEYED}. */
    private static String keyed() {
        return "KMS key of " + String.join(", ", KEYED);
    }

    private static LocalEstate pointedAt(MotoServer moto) {
        LocalAws.pointAt(moto.endpoint());
        return new LocalEstate();
    }

    /** Every function's handler, built from the class template.yaml names, with the demo's services. */
    static Map<String, RequestStreamHandler> handlers(Template template, Services services) throws Exception {
        Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
        for (String id : template.functionIds()) {
            if (template.eventPatterns(id).isEmpty()) {
                continue; // the sweep's function: events never reach it
            }
            handlers.put(id, Handlers.build(template.function(id).orElseThrow(), services));
        }
        return handlers;
    }

    private static Map<String, String> snapshot(LocalEstate estate) throws Exception {
        Map<String, String> states = new LinkedHashMap<>();
        for (String table : UNPROTECTED) {
            TableDescription description = estate.describe(table);
            String state = Boolean.TRUE.equals(description.deletionProtectionEnabled()) ? "protected" : "UNPROTECTED";
            String until = estate.tags(table).get(Decommission.TAG_KEY);
            states.put(table, until == null ? state : state + ", decommission until " + until.substring(0, 16));
        }
        states.put(PITR_TABLE + " (PITR)", pitr(estate, PITR_TABLE));
        states.put(TTL_TABLE + " (TTL)", ttl(estate, TTL_TABLE));
        states.put(PRIVATE_TABLE + " (network)", estate.policy(PRIVATE_TABLE).map(Demo::statementIds).orElse("no policy"));
        for (String table : SHARED) {
            states.put(table, estate.policy(table).map(Demo::statementIds).orElse("no policy"));
        }
        LocalEstate sydney = estate.inRegion(FORBIDDEN_REGION);
        String quarantine = sydney.tags(FORBIDDEN_TABLE).containsKey(QuarantineStatement.TAG_KEY) ? "QUARANTINED, " : "";
        states.put(FORBIDDEN_TABLE + " (" + FORBIDDEN_REGION + ")", quarantine
                + sydney.policy(FORBIDDEN_TABLE).map(Demo::statementIds).orElse("no policy")
                + ", " + sydney.itemCount(FORBIDDEN_TABLE) + " items");
        return states;
    }

    /** Point-in-time recovery of a table in a few words. */
    private static String pitr(LocalEstate estate, String table) {
        PointInTimeRecoveryDescription pitr = estate.dynamo().describeContinuousBackups(r -> r.tableName(table))
                .continuousBackupsDescription().pointInTimeRecoveryDescription();
        return pitr.pointInTimeRecoveryStatus() == PointInTimeRecoveryStatus.ENABLED
                ? "PITR on, " + pitr.recoveryPeriodInDays() + " days" : "PITR OFF";
    }

    /** Time to Live of a table in a few words. */
    private static String ttl(LocalEstate estate, String table) {
        TimeToLiveDescription ttl = estate.dynamo().describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
        return ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING
                ? "TTL ON, over " + ttl.attributeName() : "TTL off";
    }

    /** A policy in a few words: the Sid of each statement. */
    static String statementIds(String policy) {
        try {
            JsonNode statements = new ObjectMapper().readTree(policy).path("Statement");
            List<String> ids = new java.util.ArrayList<>();
            (statements.isArray() ? statements : List.of(statements)).forEach(st -> ids.add(st.path("Sid").asText("?")));
            return "policy: " + String.join(", ", ids);
        } catch (java.io.IOException e) {
            return "policy: unreadable";
        }
    }

    private static boolean writesPolicy(JsonNode event) {
        JsonNode detail = event.path("detail");
        return "PutResourcePolicy".equals(detail.path("eventName").asText()) && !detail.has("errorCode");
    }

    static String outcome(JsonNode result) {
        if (result.has("ignored")) {
            return "ignored (" + result.get("ignored").asText() + ")";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode each : result.path("results")) {
            String severity = each.path("severity").asText();
            text.append(severity.isEmpty() ? "" : severity + " ").append(each.path("action").asText())
                    .append(", alert ").append(each.path("alert").asText()).append("; ");
        }
        return text.length() == 0 ? "no table named" : text.substring(0, text.length() - 2);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}
