package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.QuarantineStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./warden sweep} as a user runs it: a process pointed at moto_server by the SDK's standard
 * environment variables, with the settings in its environment, over the demo's estate (the tables
 * Demo.java lays out, as its events left them, but no event replayed). It must fix everything the
 * demo's events fix.
 */
class SweepProcessIT {
    private Harness harness;
    private LocalEstate sydney;
    private List<String> unprotected;
    private String forbiddenTable;
    private int forbiddenItems;

    @BeforeEach
    void setUp() throws Exception {
        harness = new Harness();
        unprotected = demo("UNPROTECTED");
        forbiddenTable = demo("FORBIDDEN_TABLE");
        forbiddenItems = demo("FORBIDDEN_ITEMS");
        sydney = harness.estate.inRegion(demo("FORBIDDEN_REGION"));
    }

    @AfterEach
    void tearDown() {
        sydney.close();
        harness.close();
    }

    @Test
    void sweep_overTheDemoEstate_shouldFixEverythingTheDemosEventsFix(@TempDir Path dir) throws Exception {
        // GIVEN the demo's estate, laid out as Demo.java lays it out
        for (String table : unprotected) {
            harness.estate.createTable(table, false);
        }
        for (String table : this.<List<String>>demo("SHARED")) {
            harness.estate.createTable(table, true);
        }
        sydney.createTable(forbiddenTable, false);
        sydney.putItems(forbiddenTable, forbiddenItems);
        for (String file : new LinkedHashSet<>(this.<List<String>>demo("EVENTS"))) {
            String event = Project.event(file);
            JsonNode detail = Harness.JSON.readTree(event).path("detail");
            if ("PutResourcePolicy".equals(detail.path("eventName").asText()) && !detail.has("errorCode")) {
                harness.estate.replayPolicyWrite(event);
            }
        }
        String orgPolicy = harness.estate.policy("org-analytics").orElseThrow();

        // WHEN ./warden sweep runs a first time: regions from EC2 DescribeRegions, a CSV report
        Path csv = dir.resolve("first.csv");
        WardenProcess.Run first = warden(Map.of(), "sweep", "--report", csv.toString());

        // THEN, the first sweep since installation, it only reports
        assertThat(first.status()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("Report only, nothing was changed").contains("Summary alert sent to " + harness.topicArn);
        assertThat(first.stderr()).contains("region done").contains("ap-southeast-2").contains("eu-central-1");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isFalse();
        assertThat(sydney.policy(forbiddenTable)).isEmpty();
        assertThat(Files.readAllLines(csv)).anyMatch(l -> l.startsWith("table,us-east-1,orders,deletion-protection,MEDIUM,NOT_FIXED_NOTIFY_MODE,sent"));
        harness.estate.drainAlerts();

        // WHEN it runs again: regions from SWEEP_REGIONS, a JSON report
        Path json = dir.resolve("second.json");
        WardenProcess.Run second = warden(Map.of("SWEEP_REGIONS", "us-east-1,ap-southeast-2"), "sweep", "--report", json.toString());

        // THEN every table the demo's events protect is protected (legacy-sessions too: without the
        // approved principal's event the sweep cannot know of its decommission, and protects it) ...
        assertThat(second.status()).as(second.stderr()).isZero();
        assertThat(unprotected).allSatisfy(t -> assertThat(harness.estate.describe(t).deletionProtectionEnabled()).as(t).isTrue());
        // ... the leaking statements are taken back and the legitimate ones kept ...
        assertThat(harness.estate.policy("shared-reports").orElseThrow()).contains("ReportsReader").doesNotContain("EveryoneRead");
        assertThat(harness.estate.policy("partner-feed").orElseThrow()).contains("444455556666").doesNotContain("999988887777");
        assertThat(harness.estate.policy("org-analytics")).contains(orgPolicy);
        // ... and the table in the forbidden region is quarantined with its data
        assertThat(sydney.policy(forbiddenTable).orElseThrow()).contains(QuarantineStatement.SID);
        assertThat(sydney.tags(forbiddenTable)).containsKey(QuarantineStatement.TAG_KEY);
        assertThat(sydney.itemCount(forbiddenTable)).isEqualTo(forbiddenItems);

        List<JsonNode> alerts = harness.estate.drainAlerts();
        List<String> subjects = alerts.stream().map(a -> a.path("Subject").asText()).collect(Collectors.toList());
        assertThat(subjects).filteredOn(s -> s.contains("ddb-warden sweep:")).singleElement()
                .satisfies(s -> assertThat(s).contains(" 15 fixed, 0 failed").doesNotContain("report only"));
        List<String> expected = new ArrayList<>();
        unprotected.forEach(t -> expected.add("deletion-protection: " + t + " (us-east-1)"));
        expected.addAll(List.of("deletion-protection: " + LocalEstate.LEDGER + " (us-east-1)",
                "public-access: shared-reports (us-east-1)", "public-access: partner-feed (us-east-1)",
                "deletion-protection: " + forbiddenTable + " (ap-southeast-2)", "region-guard: " + forbiddenTable + " (ap-southeast-2)"));
        assertThat(subjects).hasSize(expected.size() + 1);
        assertThat(expected).allSatisfy(e -> assertThat(subjects).anySatisfy(s -> assertThat(s).contains("ddb-warden " + e)));

        JsonNode report = Harness.JSON.readTree(json.toFile());
        assertThat(report.path("reportOnly").asBoolean()).isFalse();
        assertThat(report.at("/totals/fixed").asInt()).isEqualTo(15);
        assertThat(report.path("regions")).hasSize(2);
        assertThat(second.stdout()).containsPattern("fixed +15\\n");

        // AND a third sweep finds nothing left to do
        WardenProcess.Run third = warden(Map.of("SWEEP_REGIONS", "us-east-1,ap-southeast-2"), "sweep");
        assertThat(third.status()).as(third.stderr()).isZero();
        assertThat(third.stdout()).containsPattern("findings +0\\n").contains("No summary alert");
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void badFlag_shouldExit2_withTheUsage() throws Exception {
        WardenProcess.Run run = warden(Map.of(), "sweep", "--report", "out.txt");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--report: name a .json or .csv file").contains("sweep [--regions r1,r2]");
    }

    /** A constant of Demo.java, read where it is declared so that this test follows the demo's estate. */
    @SuppressWarnings("unchecked")
    private <T> T demo(String name) throws ReflectiveOperationException {
        Field field = Demo.class.getDeclaredField(name);
        field.setAccessible(true);
        return (T) field.get(null);
    }

    private WardenProcess.Run warden(Map<String, String> env, String... args) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>();
        // The demo's settings (Demo.java), as a deployment's environment would hold them.
        settings.put("LEDGER_TABLE", LocalEstate.LEDGER);
        settings.put("ALERT_TOPIC_ARN", harness.topicArn);
        settings.put("ALLOWED_REGIONS", LocalAws.REGION);
        settings.put("EXEMPT_TABLES", "scratch-*");
        settings.put("APPROVED_PRINCIPALS", demo("APPROVED_ROLE"));
        settings.put("TRUSTED_ACCOUNTS", "444455556666");
        settings.put("TRUSTED_ORG_IDS", "o-trusted1234");
        settings.putAll(env);
        return WardenProcess.run(harness.moto.endpoint(), List.of("REMEDIATION_MODE", "SWEEP_REGIONS", "SWEEP_REPORT_ONLY",
                "SWEEP_MAX_FIXES", "EXEMPT_TABLES", "POWERTOOLS_LOG_LEVEL"), settings, Duration.ofSeconds(300), args);
    }
}
