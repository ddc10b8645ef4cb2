package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.check.Check;
import dev.ddbwarden.config.Settings;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ddbwarden.handler.DeletionProtectionHandler;
import dev.ddbwarden.handler.PublicAccessHandler;
import dev.ddbwarden.handler.RegionGuardHandler;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.watcher.WatcherHandler;

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
    static void assertCallsGranted(Check check, String... mustHaveSeen) throws Exception {
        Template template = Project.template();
        java.util.Set<String> granted = new java.util.HashSet<>();
        template.roleStatements(TemplateContractTest.roleOf(template, check))
                .forEach(s -> Template.list(s.get("Action")).forEach(a -> granted.add(String.valueOf(a))));
        java.util.Set<String> made = new java.util.HashSet<>(RecordingInterceptor.calls(check.function()));
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
        return Settings.from(env::get);
    }

    DeletionProtectionHandler handler(Map<String, String> overrides) {
        return new DeletionProtectionHandler(Services.create(settings(overrides)));
    }

    PublicAccessHandler publicAccess(Map<String, String> overrides) {
        return new PublicAccessHandler(Services.create(settings(overrides)));
    }

    RegionGuardHandler regionGuard(Map<String, String> overrides) {
        return new RegionGuardHandler(Services.create(settings(overrides)));
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
