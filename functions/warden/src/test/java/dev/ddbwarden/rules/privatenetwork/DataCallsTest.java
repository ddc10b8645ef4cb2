package dev.ddbwarden.rules.privatenetwork;

import dev.ddbwarden.TestEvents;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The data-event alert on the samples in events/, decided on the record and the table's statement as read. */
class DataCallsTest {
    private static final String VPCE = "vpce-0a1b2c3d4e5f60718";
    private static final Settings NONE = settings(Map.of());
    private static final Settings PRIVATE = settings(Map.of("PRIVATE_TABLES", "ord*", "ALLOWED_VPC_ENDPOINTS", VPCE));
    private static final CallReads STATEMENT = CallReads.of(StatementEndpoints.Named.class, new StatementEndpoints.Named(List.of(VPCE)));

    private final PrivateNetworkRule rule = new PrivateNetworkRule();

    private static Settings settings(Map<String, String> values) {
        return Settings.from(values::get, Rules.settingNames());
    }

    private static ApiCall sample(String file) throws IOException {
        return TestEvents.call(TestEvents.tree(Files.readString(Path.of("../../events", file))));
    }

    @Test
    void getItemFromTheInternet_onAPrivateTable_shouldAlertHigh_oncePerTableSourceAndHour() throws IOException {
        ApiCall call = sample("private-network-data-get-item-outside.json");

        ResourceFinding finding = rule.evaluateResource(call, CallReads.none(), PRIVATE).orElseThrow();

        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.resource().arn()).isEqualTo("arn:aws:dynamodb:us-east-1:123456789012:table/orders");
        assertThat(finding.once()).isEqualTo("hour#2024-06-03T08#203.0.113.10");
        assertThat(finding.detail()).contains("GetItem", "from 203.0.113.10, through no VPC endpoint",
                "assumed-role/developer/alice");
        assertThat(rule.evaluateResource(call, STATEMENT, NONE)).as("private by its statement alone").isPresent();
    }

    @Test
    void getItemThroughTheTablesEndpoint_shouldBeFine_andThroughAnotherAlerted() throws IOException {
        ApiCall call = sample("private-network-data-get-item-endpoint.json");

        assertThat(rule.evaluateResource(call, STATEMENT, NONE)).isEmpty();
        assertThat(rule.evaluateResource(call, CallReads.of(StatementEndpoints.Named.class,
                new StatementEndpoints.Named(List.of("vpce-0fffffffffffffff0"))), NONE)).hasValueSatisfying(f ->
                assertThat(f.once()).isEqualTo("hour#2024-06-03T08#" + VPCE));
    }

    @Test
    void aTableThatIsNotPrivate_orASparedCaller_shouldBeFine() throws IOException {
        ApiCall call = sample("private-network-data-get-item-outside.json");

        assertThat(rule.evaluateResource(call, CallReads.of(StatementEndpoints.Named.class,
                new StatementEndpoints.Named(List.of())), NONE)).isEmpty();
        assertThat(rule.evaluateResource(call, STATEMENT, settings(Map.of(EnvVar.QUARANTINE_EXEMPT_PRINCIPALS,
                "arn:aws:iam::123456789012:role/developer")))).isEmpty();
    }

    @Test
    void dataEvents_shouldNameNoTableToRead_whileControlPlaneCallsDo() throws IOException {
        assertThat(rule.subjects(sample("private-network-data-get-item-outside.json"))).isEmpty();
        assertThat(rule.subjects(sample("data-put-item.json"))).isEmpty();
        assertThat(rule.subjects(sample("private-network-delete-resource-policy.json"))).hasSize(1);
        assertThat(rule.evaluateResource(sample("private-network-delete-resource-policy.json"), STATEMENT, PRIVATE)).isEqualTo(Optional.empty());
    }
}
