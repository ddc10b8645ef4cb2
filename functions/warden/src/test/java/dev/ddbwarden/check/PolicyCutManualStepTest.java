package dev.ddbwarden.check;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.ResourcePolicy;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.putResourcePolicy;
import static dev.ddbwarden.TestPolicies.EVERYONE;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.TRUSTING;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command an alert tells a person to paste into a shell (notify mode, or when ddb-warden gave up):
 * read back the way a POSIX shell reads it, it must be exactly the intended words, whatever text the
 * policy's author put in the statements that are kept.
 */
class PolicyCutManualStepTest {
    private static final TableRef ORDERS = TestEvents.table("orders");
    /** A statement of the own account, kept; its condition value holds a single quote. */
    private static final String OWN_ROLE_WITH_QUOTE = """
            {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"}, \
            "Action": "dynamodb:GetItem", "Resource": "*", \
            "Condition": {"StringEquals": {"aws:PrincipalTag/owner": "x'; touch /tmp/pwned; echo '"}}}""";

    /** The manual step the public-access rule gives for a table whose live policy is {@code live}. */
    private static String manualStep(String live) {
        TableState state = new TableState(ORDERS, "ACTIVE", Map.of()).withAugment(ResourcePolicies.class,
                new ResourcePolicies(Optional.of(new ResourcePolicy(ORDERS.arn(), live, "t-1")), "", Optional.empty()));
        List<Finding> findings = new PublicAccessRule().evaluate(
                TestEvents.call(putResourcePolicy(ORDERS.arn(), live, "t-1")), ORDERS, Optional.of(state), TRUSTING,
                Instant.parse("2024-05-01T12:00:05Z"));
        assertThat(findings).hasSize(1);
        return findings.get(0).remedy().manualStep(ORDERS);
    }

    @Test
    void manualStep_shouldBeOnePutWithTheRewrittenPolicyAsOneWord_whenStatementsAreKept() {
        assertThat(shellWords(manualStep(policy(OWN_ROLE, EVERYONE)))).containsExactly("aws", "dynamodb",
                "put-resource-policy", "--resource-arn", ORDERS.arn(), "--expected-revision-id", "t-1",
                "--policy", policy(OWN_ROLE), "--region", ORDERS.region());
    }

    @Test
    void manualStep_shouldBeOneDelete_whenNoStatementIsKept() {
        assertThat(shellWords(manualStep(policy(EVERYONE)))).containsExactly("aws", "dynamodb",
                "delete-resource-policy", "--resource-arn", ORDERS.arn(), "--expected-revision-id", "t-1",
                "--region", ORDERS.region());
    }

    @Test
    void manualStep_shouldKeepThePolicyOneWord_whenAKeptStatementHoldsASingleQuote() {
        // GIVEN the own-account statement (kept) holds "x'; touch /tmp/pwned; echo '"
        String live = policy(OWN_ROLE_WITH_QUOTE, EVERYONE);

        // WHEN
        List<String> words = shellWords(manualStep(live));

        // THEN
        assertThat(words).containsExactly("aws", "dynamodb", "put-resource-policy", "--resource-arn", ORDERS.arn(),
                "--expected-revision-id", "t-1", "--policy", policy(OWN_ROLE_WITH_QUOTE), "--region", ORDERS.region());
    }

    /**
     * The words a POSIX shell makes of one simple command: blanks split, single quotes keep everything up
     * to the next single quote, double quotes and backslashes as sh reads them. An operator outside quotes
     * ({@code ; & | < > ( ) $ `}) becomes a word of its own, so a command that would run more than the one
     * program never matches the expected words.
     */
    private static List<String> shellWords(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                assertThat(end).as("unterminated single quote in %s", command).isPositive();
                word = (word == null ? new StringBuilder() : word).append(command, i + 1, end);
                i = end;
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                for (i++; command.charAt(i) != '"'; i++) {
                    if (command.charAt(i) == '\\' && "$`\"\\".indexOf(command.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    word.append(command.charAt(i));
                }
            } else if (c == '\\') {
                word = (word == null ? new StringBuilder() : word).append(command.charAt(++i));
            } else if (Character.isWhitespace(c) || ";&|<>()$`".indexOf(c) >= 0) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                if (!Character.isWhitespace(c)) {
                    words.add(String.valueOf(c));
                }
            } else {
                word = (word == null ? new StringBuilder() : word).append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
