package dev.ddbwarden.local;

import dev.ddbwarden.handler.WardenHandler;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guarantees every rule shares, against moto_server through the real handler and ledger: one alert
 * per violation however often and however concurrently an event is delivered, and a breaker that stops
 * a tug of war with another writer.
 */
class ReliabilityIT {
    private Harness harness;

    @BeforeEach
    void setUp() {
        harness = new Harness();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void sameEventDeliveredConcurrently_shouldFixOnce_andAlertOnce() throws Exception {
        // GIVEN one unprotected table and eight deliveries of its CreateTable event at the same moment
        harness.estate.createTable("orders", false);
        WardenHandler handler = harness.handler(Map.of());
        String event = Project.event("create-table-unprotected.json");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<JsonNode>> deliveries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            deliveries.add(() -> Harness.invoke(handler, event));
        }

        // WHEN they all run
        List<String> actions = new ArrayList<>();
        for (Future<JsonNode> result : pool.invokeAll(deliveries)) {
            try {
                actions.add(result.get().at("/results/0/action").asText());
            } catch (ExecutionException e) {
                // A delivery that met another's lease fails, so that Lambda retries it once the decision is done.
                assertThat(e.getCause()).hasMessageContaining("another invocation holds the decision");
                actions.add("RETRY_LATER");
            }
        }
        pool.shutdown();

        // THEN the table is protected, exactly one delivery fixed it, and one alert went out
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isTrue();
        assertThat(actions).filteredOn("FIXED"::equals).hasSize(1);
        assertThat(actions).allMatch(a -> List.of("FIXED", "ALREADY_HANDLED", "HANDLED_ELSEWHERE", "RETRY_LATER").contains(a));
        assertThat(harness.estate.drainAlerts()).hasSize(1);
    }

    @Test
    void tableUndoneOverAndOver_shouldTripTheBreakerOnce_withOneCriticalAlert() throws Exception {
        // GIVEN a limit of 3 fixes an hour, and another writer that turns protection off after every fix
        harness.estate.createTable("payments", false);
        WardenHandler handler = harness.handler(Map.of("FIX_LIMIT_PER_HOUR", "3"));
        String template = Project.event("update-table-protection-off.json");

        // WHEN six rounds of undo and fix go by
        List<String> actions = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            harness.estate.dynamo().updateTable(r -> r.tableName("payments").deletionProtectionEnabled(false));
            String event = template.replace("cde38fa9-d1e6-46cf-ac93-dd2d90b22ad4", "cde38fa9-d1e6-46cf-ac93-00000000000" + round);
            actions.add(Harness.invoke(handler, event).at("/results/0/action").asText());
        }

        // THEN three fixes, then one tug of war, then silence until the hour is over
        assertThat(actions).containsExactly("FIXED", "FIXED", "FIXED", "TUG_OF_WAR", "BREAKER_OPEN", "BREAKER_OPEN");
        assertThat(harness.estate.describe("payments").deletionProtectionEnabled()).isFalse();
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).hasSize(4);
        assertThat(alerts).filteredOn(a -> a.path("Subject").asText().startsWith("[CRITICAL]")).singleElement()
                .satisfies(a -> {
                    assertThat(a.path("Subject").asText()).contains("tug of war");
                    assertThat(a.path("Message").asText()).contains("assumed-role/developer/alice").contains("3 times");
                });
    }
}
