package dev.ddbwarden.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules as data: every case in policies/cases.json is a named policy and the verdict it must get.
 * A case's policy is the JSON object itself, or a JSON string holding text that is not a valid policy.
 */
class PolicyAnalyzerCasesTest {
    static final Trust TRUST = new Trust("111122223333", Set.of("444455556666"), Set.of("o-trusted1234"));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Case(String name, String policy, Exposure expected, List<Integer> leaking, String reason,
                boolean invalid) {
    }

    static List<Case> cases() throws IOException {
        try (InputStream in = PolicyAnalyzerCasesTest.class.getResourceAsStream("/policies/cases.json")) {
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : MAPPER.readTree(in)) {
                JsonNode policy = c.get("policy");
                List<Integer> leaking = new ArrayList<>();
                c.get("leaking").forEach(i -> leaking.add(i.asInt()));
                cases.add(new Case(c.get("name").asText(),
                        policy.isTextual() ? policy.asText() : MAPPER.writeValueAsString(policy),
                        Exposure.valueOf(c.get("expected").asText()), leaking,
                        c.path("reason").asText(""), c.path("invalid").asBoolean(false)));
            }
            return cases;
        }
    }

    static Stream<Named<Case>> named() throws IOException {
        return cases().stream().map(c -> Named.of(c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("named")
    void analyze_shouldGiveTheExpectedVerdict(Case c) {
        // WHEN
        PolicyAnalysis analysis = PolicyAnalyzer.analyze(c.policy(), TRUST);

        // THEN
        assertThat(analysis.worst()).as("%s: worst exposure (%s)", c.name(), analysis).isEqualTo(c.expected());
        assertThat(analysis.leaking()).as("%s: leaking statements", c.name())
                .extracting(StatementVerdict::index).containsExactlyElementsOf(c.leaking());
        assertThat(analysis.leaks()).as("%s: leaks", c.name()).isEqualTo(!c.leaking().isEmpty());
        assertThat(analysis.invalid().isPresent()).as("%s: invalid (%s)", c.name(), analysis.invalid())
                .isEqualTo(c.invalid());
        assertThat(analysis.statements()).as("%s: reasons", c.name())
                .allSatisfy(s -> assertThat(s.reason()).isNotBlank());
        if (!c.reason().isEmpty()) {
            StatementVerdict cited = analysis.leaks() ? analysis.leaking().get(0) : analysis.statements().get(0);
            assertThat(cited.reason()).as("%s: reason", c.name()).contains(c.reason());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("named")
    void analyze_shouldQuoteEachStatementAsWritten(Case c) throws IOException {
        PolicyAnalysis analysis = PolicyAnalyzer.analyze(c.policy(), TRUST);

        for (StatementVerdict s : analysis.statements()) {
            assertThat(c.policy()).as("%s: statement %d is a slice of the policy", c.name(), s.index())
                    .contains(s.statementJson());
            JsonNode statements = PolicyNodes.field(MAPPER.readTree(c.policy()), "Statement");
            JsonNode written = statements.isArray() ? statements.get(s.index()) : statements;
            assertThat(MAPPER.readTree(s.statementJson())).as("%s: statement %d", c.name(), s.index())
                    .isEqualTo(written);
        }
    }

    @Test
    void analyze_shouldReportInvalid_whenThereIsNoText() {
        assertThat(PolicyAnalyzer.analyze(null, TRUST).invalid()).isPresent();
    }

    @Test
    void analyze_shouldReportInvalid_whenNestingIsTooDeep() {
        String deep = "{\"Statement\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThat(PolicyAnalyzer.analyze(deep, TRUST).invalid()).isPresent();
    }

    @Test
    void analyze_shouldJudgeAPolicyOfAnySize() {
        // GIVEN a policy far over DynamoDB's 20 KB limit, whose last statement is public
        String harmless = "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"}, \"Action\": \"dynamodb:GetItem\"}";
        String open = "{\"Effect\": \"Allow\", \"Principal\": \"*\"}";
        String policy = "{\"Statement\": [" + (harmless + ",").repeat(5_000) + open + "]}";

        // WHEN
        PolicyAnalysis analysis = PolicyAnalyzer.analyze(policy, TRUST);

        // THEN
        assertThat(analysis.invalid()).isEmpty();
        assertThat(analysis.leaking()).singleElement().satisfies(s -> {
            assertThat(s.index()).isEqualTo(5_000);
            assertThat(s.statementJson()).isEqualTo(open);
        });
        assertThat(analysis.statements()).extracting(StatementVerdict::statementJson).element(4_999)
                .isEqualTo(harmless);
    }

    @Test
    void cases_shouldBeManyAndUniquelyNamed() throws IOException {
        List<Case> cases = cases();

        assertThat(cases).hasSizeGreaterThanOrEqualTo(45);
        assertThat(cases).extracting(Case::name).doesNotHaveDuplicates();
    }
}
