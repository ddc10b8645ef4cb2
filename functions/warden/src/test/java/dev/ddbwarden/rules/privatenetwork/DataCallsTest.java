package dev.ddbwarden.rules.privatenetwork;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.CallReads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The data-event alert on the samples in events/, decided on the record, the tables' statements and the ledger's holds. */
class DataCallsTest {
    private static final String VPCE = "vpce-0a1b2c3d4e5f60718";
    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/";
    private static final Settings NONE = settings(Map.of());
    private static final Settings PRIVATE = settings(Map.of("PRIVATE_TABLES", "ord*", "ALLOWED_VPC_ENDPOINTS", VPCE));
    private static final CallReads STATEMENT = statements(Map.of(ARN + "orders", List.of(VPCE)));

    private final PrivateNetworkRule rule = new PrivateNetworkRule();

    private static Settings settings(Map<String, String> values) {
        return Settings.from(values::get, Rules.settingNames());
    }

    private static CallReads statements(Map<String, List<String>> byTable) {
        return CallReads.of(StatementEndpoints.Named.class, new StatementEndpoints.Named(byTable));
    }

    private static Hold.OnTables heldOn(String table, String tagValue) {
        return new Hold.OnTables(Map.of(ARN + table, Hold.Held.NONE.with(new Hold(Hold.Kind.NETWORK, ARN + table,
                Instant.parse("2024-06-01T00:00:00Z"), Optional.empty(), Optional.of(tagValue)))), Set.of());
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    private List<String> alerted(ApiCall call, CallReads reads, Settings settings) {
        return rule.evaluateResources(call, reads, settings).stream().map(f -> f.resource().name()).toList();
    }

    @Test
    void getItemFromTheInternet_onAPrivateTable_shouldAlertHigh_oncePerTableSourceAndHour() throws IOException {
        ApiCall call = sample("private-network-data-get-item-outside.json");

        ResourceFinding finding = rule.evaluateResources(call, CallReads.none(), PRIVATE).get(0);

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.resource().arn()).isEqualTo(ARN + "orders");
        assertThat(finding.once()).isEqualTo("hour#2024-06-03T08#203.0.113.10");
        assertThat(finding.detail()).contains("GetItem", "from 203.0.113.10, through no VPC endpoint",
                "assumed-role/developer/alice", "PrivateTables names it");
        assertThat(rule.evaluateResources(call, STATEMENT, NONE)).as("private by its statement alone").hasSize(1);
    }

    @Test
    void getItemThroughTheTablesEndpoint_shouldBeFine_andThroughAnotherAlerted() throws IOException {
        ApiCall call = sample("private-network-data-get-item-endpoint.json");

        assertThat(rule.evaluateResources(call, STATEMENT, NONE)).isEmpty();
        assertThat(rule.evaluateResources(call, statements(Map.of(ARN + "orders", List.of("vpce-0fffffffffffffff0"))), NONE))
                .singleElement().satisfies(f -> assertThat(f.once()).isEqualTo("hour#2024-06-03T08#" + VPCE));
    }

    @Test
    void aTableThatIsNotPrivate_orASparedCaller_shouldBeFine() throws IOException {
        ApiCall call = sample("private-network-data-get-item-outside.json");

        assertThat(rule.evaluateResources(call, statements(Map.of(ARN + "orders", List.of())), NONE)).isEmpty();
        assertThat(rule.evaluateResources(call, STATEMENT, settings(Map.of(EnvVar.QUARANTINE_EXEMPT_PRINCIPALS,
                "arn:aws:iam::123456789012:role/developer")))).isEmpty();
    }

    @Test
    void dataEvents_shouldNameNoTableToRead_whileControlPlaneCallsDo() throws IOException {
        assertThat(rule.subjects(sample("private-network-data-get-item-outside.json"))).isEmpty();
        assertThat(rule.subjects(sample("data-put-item.json"))).isEmpty();
        assertThat(rule.subjects(sample("private-network-data-batch-write-item.json"))).isEmpty();
        assertThat(rule.subjects(sample("private-network-delete-resource-policy.json"))).hasSize(1);
        assertThat(rule.evaluateResources(sample("private-network-delete-resource-policy.json"), STATEMENT, PRIVATE)).isEmpty();
    }

    @Test
    void batchWriteItem_onAPrivateTableAndAnother_shouldAlertThePrivateOneOnly() throws IOException {
        ApiCall call = sample("private-network-data-batch-write-item.json");

        assertThat(alerted(call, CallReads.none(), PRIVATE)).containsExactly("orders");
        assertThat(alerted(call, statements(Map.of(ARN + "audit-log", List.of(VPCE))), PRIVATE))
                .as("both private: each its own finding").containsExactlyInAnyOrder("orders", "audit-log");
    }

    @Test
    void transactionsAndPartiql_shouldBeJudgedOnEveryTableTheyName() throws IOException {
        Settings bothPrivate = settings(Map.of("PRIVATE_TABLES", "order*", "ALLOWED_VPC_ENDPOINTS", VPCE));

        assertThat(alerted(sample("private-network-data-transact-write-items.json"), CallReads.none(), bothPrivate))
                .containsExactlyInAnyOrder("orders", "order-lines");
        assertThat(alerted(sample("private-network-data-execute-statement.json"), CallReads.none(), PRIVATE))
                .containsExactly("orders");
        assertThat(alerted(sample("private-network-data-batch-execute-statement.json"), STATEMENT, NONE))
                .containsExactly("orders");
    }

    @Test
    void aRecordNamingNoTable_shouldFindNothing() throws IOException {
        assertThat(rule.evaluateResources(sample("private-network-data-execute-statement-unreadable.json"),
                CallReads.none(), settings(Map.of("PRIVATE_TABLES", "*", "ALLOWED_VPC_ENDPOINTS", VPCE)))).isEmpty();
    }

    @Test
    void aTableWhoseStatementWasRemoved_shouldStayPrivate_byTheLedgersHold() throws IOException {
        ApiCall call = sample("private-network-data-get-item-outside.json");
        CallReads noStatement = statements(Map.of(ARN + "orders", List.of()));

        assertThat(rule.evaluateResources(call, noStatement, NONE)).as("without the hold").isEmpty();
        assertThat(rule.evaluateResources(call, noStatement.with(Hold.OnTables.class, heldOn("orders", VPCE)), NONE))
                .singleElement().satisfies(f -> assertThat(f.detail()).contains("a trusted principal tagged it"));
        assertThat(rule.evaluateResources(sample("private-network-data-get-item-endpoint.json"),
                noStatement.with(Hold.OnTables.class, heldOn("orders", VPCE)), NONE)).as("through the held endpoint").isEmpty();
    }

    @Test
    void aLedgerThatCouldNotBeRead_shouldLeaveTheTableAsPrivateAsTheOtherAnswersSay() throws IOException {
        ApiCall call = sample("private-network-data-get-item-outside.json");
        CallReads unread = STATEMENT.with(Hold.OnTables.class, new Hold.OnTables(Map.of(), Set.of(ARN + "orders")));

        assertThat(rule.evaluateResources(call, unread, NONE)).as("by its statement").hasSize(1);
        assertThat(rule.evaluateResources(call, CallReads.none().with(Hold.OnTables.class,
                new Hold.OnTables(Map.of(), Set.of(ARN + "orders"))), PRIVATE)).as("by PrivateTables").hasSize(1);
    }

    @Test
    void endpointsOfEverySource_shouldAllBeAllowed() throws IOException {
        ApiCall through = sample("private-network-data-get-item-endpoint.json");
        CallReads otherStatement = statements(Map.of(ARN + "orders", List.of("vpce-0fffffffffffffff0")));

        assertThat(rule.evaluateResources(through, otherStatement, NONE)).hasSize(1);
        assertThat(rule.evaluateResources(through, otherStatement.with(Hold.OnTables.class, heldOn("orders", VPCE)), NONE))
                .as("the held tag's endpoint is one of the table's").isEmpty();
    }
}
