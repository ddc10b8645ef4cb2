package dev.ddbwarden.rules.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The function's copy of the shipped policies (shipped-policies.json, in the jar because sam build copies only
 * functions/warden) says exactly what scp/*.json says, statement by statement: Sid, effect and actions.
 */
class ShippedPoliciesTest {
    private static final Path SCP = Path.of("../../scp");

    @Test
    void theFunctionsCopy_shouldHoldEveryShippedPolicy_statementByStatement() throws IOException {
        Map<String, ShippedPolicies.Policy> expected = new HashMap<>();
        try (Stream<Path> files = Files.list(SCP)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode document = new ObjectMapper().readTree(file.toFile());
                List<ShippedPolicies.Statement> statements = new java.util.ArrayList<>();
                document.path("Statement").forEach(s -> statements.add(ShippedPolicies.statement(s).orElseThrow()));
                String name = file.getFileName().toString();
                expected.put(name.substring(0, name.length() - ".json".length()),
                        new ShippedPolicies.Policy(name.substring(0, name.length() - ".json".length()), statements));
            }
        }

        assertThat(ShippedPolicies.load().all()).isEqualTo(expected).isNotEmpty();
    }

    @Test
    void everyShippedPolicy_shouldHoldItsOwnStatements_unweakened() {
        ShippedPolicies shipped = ShippedPolicies.load();
        shipped.all().values().forEach(policy -> {
            String content = read(SCP.resolve(policy.file() + ".json"));
            assertThat(ShippedPolicies.weakened(policy, content)).as(policy.file()).isEmpty();
            assertThat(shipped.byContent(content)).as(policy.file()).contains(policy);
            assertThat(shipped.byName("ddb-warden-" + policy.file(), GuardedPolicies.DEFAULT)).contains(policy);
        });
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
