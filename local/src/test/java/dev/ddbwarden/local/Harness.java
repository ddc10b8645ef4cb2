package dev.ddbwarden.local;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import dev.ddbwarden.handler.WardenHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.watcher.WatcherHandler;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A fresh moto_server estate (topic with an SQS inbox, ledger) and the real handler pointed at it. */
final class Harness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final MotoServer moto = SharedMoto.fresh();
    final LocalEstate estate = new LocalEstate();
    final String topicArn = estate.createAlertTopic();

    Harness() {
        estate.createLedger();
    }

    /** Every AWS call a handler made in this JVM must be granted to its role in template.yaml. */
    static void assertCallsGranted(Rule rule, String... mustHaveSeen) throws Exception {
        Template template = Project.template();
        java.util.Set<String> granted = new java.util.HashSet<>();
        template.roleStatements(TemplateContractTest.roleOf(template, rule))
                .forEach(s -> Template.list(s.get("Action")).forEach(a -> granted.add(String.valueOf(a))));
        java.util.Set<String> made = new java.util.HashSet<>(RecordingInterceptor.calls(rule.function()));
        org.assertj.core.api.Assertions.assertThat(made).contains(mustHaveSeen);
        org.assertj.core.api.Assertions.assertThat(granted).containsAll(made);
    }

    /** Settings as the template gives them, with this estate's topic and ledger, then {@code overrides}. */
    Settings settings(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("ALERT_TOPIC_ARN", topicArn);
        env.put("LEDGER_TABLE", LocalEstate.LEDGER);
        env.put("ALLOWED_REGIONS", LocalAws.REGION);
        env.putAll(overrides);
        return Settings.from(env::get, Rules.settingNames());
    }

    WardenHandler handler(Map<String, String> overrides) {
        return new WardenHandler(new DeletionProtectionRule(), Services.create(settings(overrides)));
    }

    WardenHandler publicAccess(Map<String, String> overrides) {
        return new WardenHandler(new PublicAccessRule(), Services.create(settings(overrides)));
    }

    WardenHandler regionGuard(Map<String, String> overrides) {
        return new WardenHandler(new RegionGuardRule(), Services.create(settings(overrides)));
    }

    /** The watcher of the stack the events in events/ name (ddb-warden), with this estate's topic and ledger. */
    WatcherHandler watcher(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of("STACK_NAME", TemplateValues.STACK_NAME));
        env.putAll(overrides);
        return new WatcherHandler(Services.create(settings(env)));
    }

    /** Invokes the handler with an event, recording the AWS calls it makes. */
    static JsonNode invoke(RequestStreamHandler handler, String event) throws Exception {
        return RecordingInterceptor.record(functionOf(handler), () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new LocalContext(handler.getClass().getSimpleName(), 512, 60));
            return JSON.readTree(out.toByteArray());
        });
    }

    /** The logical ID of the function template.yaml runs this handler in. */
    private static String functionOf(RequestStreamHandler handler) throws Exception {
        if (handler instanceof WardenHandler rules) {
            return rules.rule().function();
        }
        Template template = Project.template();
        return template.functionIds().stream()
                .filter(id -> template.function(id).orElseThrow().handler().startsWith(handler.getClass().getName() + "::"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no function in template.yaml runs " + handler.getClass().getName()));
    }

    @Override
    public void close() {
        estate.close();
    }
}
