package dev.ddbwarden.policy;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.ddbwarden.policy.PolicyAnalyzerCasesTest.TRUST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyRewriteTest {
    private static final String PUBLIC = """
            {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}""";
    private static final String PARTNER = """
            {
                  "Sid": "Partner",
                  "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::444455556666:role/reader"},
                  "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                  "Resource": "*"
                }""";
    private static final String FOREIGN = """
            {"Sid": "Foreign", "Effect": "Allow", "Principal": {"AWS": "999988887777"}, "Action": "dynamodb:*", "Resource": "*"}""";
    private static final String DENY = """
            {"Sid":"DenyDelete","Effect":"Deny","Principal":"*","Action":"dynamodb:DeleteTable","Resource":"*"}""";

    private static String policy(String... statements) {
        return """
                {
                  "Version": "2012-10-17",
                  "Id": "orders-access",
                  "Statement": [
                    %s
                  ],
                  "x-owner": {"team": "payments"}
                }
                """.formatted(String.join(",\n    ", statements));
    }

    private static Optional<String> rewrite(String policy) {
        return PolicyAnalyzer.withoutLeaks(policy, PolicyAnalyzer.analyze(policy, TRUST));
    }

    @Test
    void withoutLeaks_shouldRemoveExactlyTheLeakingStatements_keepingEverythingElseAsWritten() {
        // GIVEN
        String policy = policy(PUBLIC, PARTNER, FOREIGN, DENY);

        // WHEN
        Optional<String> rewritten = rewrite(policy);

        // THEN
        assertThat(rewritten).contains(policy(PARTNER, DENY));
    }

    @Test
    void withoutLeaks_shouldGiveAPolicyWithoutLeaks() {
        String rewritten = rewrite(policy(FOREIGN, PARTNER, PUBLIC, DENY)).orElseThrow();

        PolicyAnalysis again = PolicyAnalyzer.analyze(rewritten, TRUST);

        assertThat(again.invalid()).isEmpty();
        assertThat(again.leaks()).isFalse();
        assertThat(again.statements()).extracting(StatementVerdict::statementJson).containsExactly(PARTNER, DENY);
    }

    @Test
    void withoutLeaks_shouldKeepTheLayoutOfACompactPolicy() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + DENY + "," + PUBLIC + "," + PARTNER + "]}";

        assertThat(rewrite(policy)).contains("{\"Version\":\"2012-10-17\",\"Statement\":[" + DENY + "," + PARTNER + "]}");
    }

    @Test
    void withoutLeaks_shouldKeepTheOnlyStatementLeft_whenTheFirstOnesLeak() {
        assertThat(rewrite(policy(PUBLIC, FOREIGN, DENY))).contains(policy(DENY));
    }

    @Test
    void withoutLeaks_shouldGiveEmpty_whenEveryStatementInTheListLeaks() {
        assertThat(rewrite(policy(PUBLIC, FOREIGN))).isEmpty();
    }

    @Test
    void withoutLeaks_shouldGiveEmpty_whenTheLoneStatementObjectLeaks() {
        String policy = "{\"Version\": \"2012-10-17\", \"Statement\": " + PUBLIC + "}";

        assertThat(rewrite(policy)).isEmpty();
    }

    @Test
    void withoutLeaks_shouldGiveThePolicyUnchanged_whenNothingLeaks() {
        String object = "{\"Version\": \"2012-10-17\", \"Statement\": " + PARTNER + "}";
        String list = policy(PARTNER, DENY);

        assertThat(rewrite(object)).contains(object);
        assertThat(rewrite(list)).contains(list);
    }

    @Test
    void withoutLeaks_shouldRefuseAnAnalysisOfAnotherPolicy() {
        PolicyAnalysis ofOther = PolicyAnalyzer.analyze(policy(PARTNER, PUBLIC), TRUST);

        assertThatThrownBy(() -> PolicyAnalyzer.withoutLeaks(policy(PUBLIC, PARTNER), ofOther))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PolicyAnalyzer.withoutLeaks(policy(PARTNER), ofOther))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void analyze_shouldQuoteStatementsVerbatim_escapesAndWhitespaceIncluded() {
        String odd = "{ \"Effect\" : \"Allow\" ,\t\"Principal\":{\"AWS\":\"\\u002A\"}, \"Sid\": \"caf\u00e9 \\\"q\\\"\" }";
        String policy = "{\"Statement\":[\n" + odd + "\n]}";

        PolicyAnalysis analysis = PolicyAnalyzer.analyze(policy, TRUST);

        assertThat(analysis.statements()).singleElement().satisfies(s -> {
            assertThat(s.statementJson()).isEqualTo(odd);
            assertThat(s.exposure()).isEqualTo(Exposure.PUBLIC);
        });
        assertThat(PolicyAnalyzer.withoutLeaks(policy, analysis)).isEmpty();
    }
}
