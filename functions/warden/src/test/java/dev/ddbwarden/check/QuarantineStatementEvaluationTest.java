package dev.ddbwarden.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.ddbwarden.TestEvents.tableIn;
import static dev.ddbwarden.TestEvents.tree;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the quarantine statement back and decides, with a small evaluator of our own over its condition,
 * whom it denies. The evaluator knows only what the statement may use: Effect Deny, Principal "*",
 * Action and Resource patterns, and ArnNotLike on aws:PrincipalArn with IAM's wildcards ({@code *} any
 * run of characters including none, {@code ?} exactly one, each of the six colon-separated parts of the
 * ARN matched on its own, case-sensitively). Anything else in the statement fails the test, so the
 * statement cannot grow a clause this evaluator would silently ignore.
 */
class QuarantineStatementEvaluationTest {
    private static final String SECURITY_ROLE = "arn:aws:iam::123456789012:role/security/incident-responder";
    private static final Settings SETTINGS = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1",
            EnvVar.QUARANTINE_EXEMPT_PRINCIPALS, SECURITY_ROLE)::get);
    private static final TableRef COPY = tableIn("ap-southeast-2", "customer-copy");
    private static final String INDEX = COPY.arn() + "/index/by-email";
    private static final String STREAM = COPY.arn() + "/stream/2024-05-01T12:00:00.000";

    /** The quarantine statement as ddb-warden writes it into the table's existing policy. */
    private static JsonNode tableStatement() {
        return quarantineOf(QuarantineStatement.addedTo(Optional.of(policy(OWN_ROLE)),
                List.of(COPY.arn(), COPY.arn() + "/index/*"),
                QuarantineStatement.spared(COPY, SETTINGS.quarantineExemptPrincipals())));
    }

    private static JsonNode quarantineOf(String policy) {
        for (JsonNode statement : tree(policy).path("Statement")) {
            if (QuarantineStatement.SID.equals(statement.path("Sid").asText())) {
                return statement;
            }
        }
        throw new AssertionError("no " + QuarantineStatement.SID + " statement in " + policy);
    }

    @ParameterizedTest(name = "{0} -> denied={1}")
    @CsvSource({
            "arn:aws:iam::123456789012:role/ddb-warden/RegionGuardRole, false",
            "arn:aws:iam::123456789012:role/security/incident-responder, false",
            "arn:aws:iam::123456789012:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/"
                    + "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable, false",
            "arn:aws:iam::123456789012:role/developer, true",
            "arn:aws:iam::999988887777:role/ddb-warden/x, true",
            "arn:aws:iam::123456789012:role/ddb-warden-fake, true",
            "arn:aws:iam::123456789012:role/DDB-WARDEN/RegionGuardRole, true",
            "arn:aws:iam::123456789012:role/security/incident-responder-2, true"})
    void statement_shouldDenyOnlyPrincipalsItDoesNotSpare_whenEvaluatedOnTheTableAndItsIndexes(String principal,
                                                                                                 boolean denied) {
        // GIVEN
        JsonNode statement = tableStatement();

        // WHEN / THEN
        assertThat(denies(statement, principal, "dynamodb:GetItem", COPY.arn())).as("GetItem on the table")
                .isEqualTo(denied);
        assertThat(denies(statement, principal, "dynamodb:Query", INDEX)).as("Query on an index").isEqualTo(denied);
        assertThat(denies(statement, principal, "dynamodb:DeleteResourcePolicy", COPY.arn()))
                .as("DeleteResourcePolicy on the table").isEqualTo(denied);
    }

    @Test
    void statement_shouldDenyOnlyTheGivenResources_whenAnotherTableIsAsked() {
        JsonNode statement = tableStatement();
        String developer = "arn:aws:iam::123456789012:role/developer";

        assertThat(denies(statement, developer, "dynamodb:GetItem", tableIn("ap-southeast-2", "other").arn())).isFalse();
        assertThat(denies(statement, developer, "dynamodb:GetItem", COPY.arn() + "-2")).isFalse();
    }

    @Test
    void streamStatement_shouldDenyTheDeveloperAndSpareTheWardenRole_whenEvaluatedOnTheStream() {
        // GIVEN
        JsonNode statement = quarantineOf(QuarantineStatement.addedTo(Optional.empty(), List.of(STREAM),
                QuarantineStatement.spared(COPY, SETTINGS.quarantineExemptPrincipals())));

        // WHEN / THEN
        assertThat(denies(statement, "arn:aws:iam::123456789012:role/developer", "dynamodb:GetRecords", STREAM)).isTrue();
        assertThat(denies(statement, "arn:aws:iam::123456789012:role/ddb-warden/RegionGuardRole",
                "dynamodb:GetRecords", STREAM)).isFalse();
    }

    @ParameterizedTest(name = "{1} like {0} = {2}")
    @CsvSource({
            "arn:aws:iam::1:role/a*, arn:aws:iam::1:role/a, true",
            "arn:aws:iam::1:role/a?, arn:aws:iam::1:role/a, false",
            "arn:aws:iam::1:role/a?, arn:aws:iam::1:role/ab, true",
            "arn:aws:iam::1:role/a?, arn:aws:iam::1:role/abc, false",
            "arn:aws:iam::*:role/x, arn:aws:iam::1:role/x, true",
            "arn:aws:iam::*, arn:aws:iam::1:role/x, false",
            "arn:aws:iam::1:role/X, arn:aws:iam::1:role/x, false",
            "arn:aws:iam::1:role/a.b, arn:aws:iam::1:role/aXb, false"})
    void arnLike_shouldFollowIamWildcards_whenMatchingEachArnPartOnItsOwn(String pattern, String arn, boolean like) {
        assertThat(arnLike(pattern, arn)).isEqualTo(like);
    }

    /** Whether this one statement denies {@code action} on {@code resource} to {@code principalArn}. */
    static boolean denies(JsonNode statement, String principalArn, String action, String resource) {
        for (String forbidden : List.of("NotPrincipal", "NotAction", "NotResource")) {
            assertThat(statement.has(forbidden)).as("the statement uses " + forbidden).isFalse();
        }
        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        JsonNode principal = statement.path("Principal");
        assertThat(principal.isTextual() ? principal.asText() : principal.path("AWS").asText()).isEqualTo("*");
        return texts(statement.path("Action")).stream().anyMatch(p -> glob(p, true).matcher(action).matches())
                && texts(statement.path("Resource")).stream().anyMatch(p -> arnLike(p, resource))
                && conditionHolds(statement.path("Condition"), principalArn);
    }

    /** Every operator and key must hold; ArnNotLike holds when the value matches none of the patterns. */
    private static boolean conditionHolds(JsonNode condition, String principalArn) {
        boolean holds = true;
        for (var operator : (Iterable<Map.Entry<String, JsonNode>>) condition::fields) {
            assertThat(operator.getKey()).as("condition operator the evaluator knows").isEqualTo("ArnNotLike");
            for (var key : (Iterable<Map.Entry<String, JsonNode>>) operator.getValue()::fields) {
                assertThat(key.getKey()).as("condition key the evaluator knows").isEqualTo("aws:PrincipalArn");
                holds &= texts(key.getValue()).stream().noneMatch(p -> arnLike(p, principalArn));
            }
        }
        return holds;
    }

    /** IAM's ArnLike: the six colon-separated parts matched one by one, case-sensitively. */
    static boolean arnLike(String pattern, String arn) {
        String[] patternParts = pattern.split(":", 6);
        String[] arnParts = arn.split(":", 6);
        if (patternParts.length != 6 || arnParts.length != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!glob(patternParts[i], false).matcher(arnParts[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Pattern glob(String glob, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(each -> texts.add(each.asText()));
        } else if (node.isTextual()) {
            texts.add(node.asText());
        }
        return texts;
    }

    @Test
    void glob_shouldIgnoreCaseForActions_whenMatchingActionNames() {
        assertThat(glob("dynamodb:*", true).matcher("DynamoDB:GetItem").matches()).isTrue();
        assertThat(glob("dynamodb:*", true).matcher("s3:GetObject").matches()).isFalse();
    }
}
