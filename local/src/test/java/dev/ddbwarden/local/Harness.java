package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.handler.DeletionProtectionHandler;
import dev.ddbwarden.handler.Services;

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

    /** Invokes the handler with an event, recording the AWS calls it makes. */
    static JsonNode invoke(DeletionProtectionHandler handler, String event) throws Exception {
        return RecordingInterceptor.record(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new LocalContext("DeletionProtectionFunction", 512, 60));
            return JSON.readTree(out.toByteArray());
        });
    }

    @Override
    public void close() {
        estate.close();
    }
}
