package dev.ddbwarden.local;

import dev.ddbwarden.handler.WardenHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.check.QuarantineStatement;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real WardenHandler against moto_server, whose regions are isolated like AWS's: the handler
 * runs in us-east-1 and acts on tables in ap-southeast-2 with a client for that region. moto cannot
 * model replicas, legacy global tables or stream policies: those are covered with mocked clients in the
 * functions module (RegionGuardPipelineTest, RegionGuardCheckTest).
 */
class RegionGuardIT {
    private static final String SYDNEY = "ap-southeast-2";
    private static final String SECURITY_ROLE = "arn:aws:iam::123456789012:role/security/incident-responder";
    private static final Map<String, String> SETTINGS = Map.of(
            "ALLOWED_REGIONS", "us-east-1,eu-west-1",
            "QUARANTINE_EXEMPT_PRINCIPALS", SECURITY_ROLE);
    private Harness harness;
    private LocalEstate sydney;
    private WardenHandler handler;

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(new RegionGuardRule(),
                "dynamodb:DescribeTable", "dynamodb:PutResourcePolicy", "dynamodb:TagResource", "sns:Publish");
    }

    @BeforeEach
    void setUp() {
        harness = new Harness();
        sydney = harness.estate.inRegion(SYDNEY);
        handler = harness.regionGuard(SETTINGS);
    }

    @AfterEach
    void tearDown() {
        sydney.close();
        harness.close();
    }

    @Test
    void tableCreatedInAForbiddenRegion_shouldBeQuarantined_withItsDataIntact() throws Exception {
        // GIVEN a table with data, created in Sydney
        sydney.createTable("customer-copy", false);
        sydney.putItems("customer-copy", 12);

        // WHEN its CreateTable event arrives at the home region
        JsonNode result = Harness.invoke(handler, Project.event("create-table-forbidden-region.json"));

        // THEN the table is locked in place, tagged, every item still there, and the team told
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(result.at("/results/0/table").asText()).isEqualTo("arn:aws:dynamodb:ap-southeast-2:123456789012:table/customer-copy");
        String policy = sydney.policy("customer-copy").orElseThrow();
        assertThat(policy).contains(QuarantineStatement.SID).contains(SECURITY_ROLE).doesNotContain("NotPrincipal");
        assertThat(sydney.tags("customer-copy").get(QuarantineStatement.TAG_KEY))
                .contains("ap-southeast-2").contains("9a1d2e3f-4b5c-4d6e-8f70-81a2b3c4d601");
        assertThat(sydney.itemCount("customer-copy")).isEqualTo(12);
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[HIGH]").contains("customer-copy").contains(SYDNEY);
            assertThat(alert.path("Message").asText())
                    .contains("us-east-1, eu-west-1")
                    .contains("assumed-role/developer/alice")
                    .contains("export-table-to-point-in-time")
                    .contains("delete-resource-policy")
                    .contains("root user");
            assertThat(alert.at("/MessageAttributes/region/Value").asText()).isEqualTo(SYDNEY);
        });
    }

    @Test
    void restoreIntoAForbiddenRegion_shouldQuarantineTheTargetTable() throws Exception {
        sydney.createTable("orders-sydney", false);

        JsonNode result = Harness.invoke(handler, Project.event("restore-table-forbidden-region.json"));

        assertThat(result.at("/results/0/table").asText()).endsWith(":table/orders-sydney");
        assertThat(sydney.policy("orders-sydney").orElseThrow()).contains(QuarantineStatement.SID);
    }

    /** A restore from an AWS Backup recovery point leaves no RestoreTableFromBackup record: the COMPLETED job names the table. */
    @Test
    void awsBackupRestoreIntoAForbiddenRegion_shouldQuarantineTheCreatedTable() throws Exception {
        sydney.createTable("payments-sydney", false);

        JsonNode result = Harness.invoke(handler, Project.event("backup-restore-forbidden-region.json"));

        assertThat(result.at("/results/0/table").asText()).isEqualTo("arn:aws:dynamodb:ap-southeast-2:123456789012:table/payments-sydney");
        assertThat(sydney.policy("payments-sydney").orElseThrow()).contains(QuarantineStatement.SID);
        assertThat(harness.estate.drainAlerts()).singleElement()
                .satisfies(alert -> assertThat(alert.path("Message").asText()).contains("backup.amazonaws.com (AWSService)"));
    }

    @Test
    void existingPolicy_shouldBeKeptBesideTheDeny() throws Exception {
        sydney.createTable("customer-copy", false);
        String arn = sydney.describe("customer-copy").tableArn();
        sydney.dynamo().putResourcePolicy(r -> r.resourceArn(arn).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{"
                + "\"Sid\":\"AppReader\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},"
                + "\"Action\":\"dynamodb:GetItem\",\"Resource\":\"" + arn + "\"}]}"));

        Harness.invoke(handler, Project.event("create-table-forbidden-region.json"));

        assertThat(sydney.policy("customer-copy").orElseThrow()).contains("AppReader").contains(QuarantineStatement.SID);
        assertThat(harness.estate.drainAlerts()).singleElement()
                .satisfies(a -> assertThat(a.path("Message").asText()).contains("AppReader"));
        assertThat(harness.estate.ledgerItems().get(0).get("stateBefore").s()).contains("AppReader");
    }

    @Test
    void tableInAnAllowedRegion_shouldGetNothing() throws Exception {
        harness.estate.createTable("orders", true);

        JsonNode result = Harness.invoke(handler, Project.event("create-table-unprotected.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(harness.estate.policy("orders")).isEmpty();
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @Test
    void exemptTable_shouldBeReported_butNotQuarantined() throws Exception {
        sydney.createTable("customer-copy", false);

        JsonNode result = Harness.invoke(harness.regionGuard(Map.of(
                "ALLOWED_REGIONS", "us-east-1", "EXEMPT_TABLES", "customer-*")),
                Project.event("create-table-forbidden-region.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(sydney.policy("customer-copy")).isEmpty();
        assertThat(harness.estate.drainAlerts()).singleElement()
                .satisfies(a -> assertThat(a.path("Subject").asText()).contains("exempt"));
    }

    @Test
    void replayedEvent_shouldNotQuarantineTwice_norAlertTwice() throws Exception {
        sydney.createTable("customer-copy", false);
        Harness.invoke(handler, Project.event("create-table-forbidden-region.json"));
        String policy = sydney.policy("customer-copy").orElseThrow();
        harness.estate.drainAlerts();

        Harness.invoke(handler, Project.event("create-table-forbidden-region.json"));

        assertThat(sydney.policy("customer-copy")).contains(policy);
        assertThat(harness.estate.drainAlerts()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "us-east-1,eu-wst-1", "eu-west-1"})
    void untrustworthyAllowedRegions_shouldRefuseToStart_namingTheVariable(String allowed) {
        assertThatThrownBy(() -> harness.regionGuard(Map.of("ALLOWED_REGIONS", allowed)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ALLOWED_REGIONS");
    }

    /** A same-named table in another region is not the one the event named, and is left alone. */
    @Test
    void importIntoAForbiddenRegion_shouldQuarantineTheImportedTable_inItsOwnRegionOnly() throws Exception {
        sydney.createTable("imported-sa", false);
        LocalEstate saoPaulo = harness.estate.inRegion("sa-east-1");
        saoPaulo.createTable("imported-sa", false);

        JsonNode result = Harness.invoke(handler, Project.event("import-table-forbidden-region.json"));

        assertThat(result.at("/results/0/table").asText()).startsWith("arn:aws:dynamodb:sa-east-1:");
        assertThat(saoPaulo.policy("imported-sa").orElseThrow()).contains(QuarantineStatement.SID);
        assertThat(sydney.policy("imported-sa")).isEmpty();
        saoPaulo.close();
    }
}
