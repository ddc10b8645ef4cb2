package dev.ddbwarden.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static dev.ddbwarden.TestEvents.tableIn;
import static dev.ddbwarden.TestEvents.tree;
import static dev.ddbwarden.TestPolicies.EVERYONE;
import static dev.ddbwarden.TestPolicies.OWN_ROLE;
import static dev.ddbwarden.TestPolicies.PARTNER;
import static dev.ddbwarden.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The deny statement that quarantines a table, as JSON: what it spares, what it keeps, what it never says. */
class QuarantineStatementTest {
    private static final String SECURITY_ROLE = "arn:aws:iam::123456789012:role/security/incident-responder";
    private static final TableRef COPY = tableIn("ap-southeast-2", "customer-copy");
    private static final List<String> RESOURCES = List.of(COPY.arn(), COPY.arn() + "/index/*");
    private static final List<String> SPARED = QuarantineStatement.spared(COPY, List.of(SECURITY_ROLE));

    private static JsonNode statements(String policy) {
        return tree(policy).path("Statement");
    }

    private static JsonNode quarantineIn(String policy) {
        JsonNode statements = statements(policy);
        return statements.get(statements.size() - 1);
    }

    @Test
    void spared_shouldListWardenRolesServiceLinkedRolesThenSecurityRoles_whenGivenTheTableAndRoles() {
        // WHEN
        List<String> spared = QuarantineStatement.spared(COPY, List.of(SECURITY_ROLE));

        // THEN
        assertThat(spared).containsExactly(
                "arn:aws:iam::123456789012:role/ddb-warden/*",
                "arn:aws:iam::123456789012:role/aws-service-role/*",
                SECURITY_ROLE);
    }

    @Test
    void spared_shouldUseTheTablesPartitionAndAccount_whenTheTableIsInAnotherPartition() {
        TableRef beijing = new TableRef("aws-cn", "cn-north-1", "210987654321", "orders");

        assertThat(QuarantineStatement.spared(beijing, List.of()))
                .containsExactly("arn:aws-cn:iam::210987654321:role/ddb-warden/*",
                        "arn:aws-cn:iam::210987654321:role/aws-service-role/*");
    }

    @Test
    void addedTo_shouldWriteAPolicyOfTheOneStatement_whenThereIsNoPolicy() {
        // WHEN
        String written = QuarantineStatement.addedTo(Optional.empty(), RESOURCES, SPARED);

        // THEN
        JsonNode policy = tree(written);
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        assertThat(statements(written)).hasSize(1);
        JsonNode statement = quarantineIn(written);
        assertThat(statement.path("Sid").asText()).isEqualTo(QuarantineStatement.SID);
        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.path("Principal").asText()).isEqualTo("*");
        assertThat(statement.path("Action").asText()).isEqualTo("dynamodb:*");
    }

    @Test
    void addedTo_shouldKeepTheStatementAndAppend_whenStatementIsAnObject() {
        // GIVEN the single-statement form IAM also accepts
        String existing = "{\"Version\": \"2012-10-17\", \"Statement\": " + OWN_ROLE + "}";

        // WHEN
        String written = QuarantineStatement.addedTo(Optional.of(existing), RESOURCES, SPARED);

        // THEN
        assertThat(statements(written).isArray()).isTrue();
        assertThat(statements(written)).hasSize(2);
        assertThat(statements(written).get(0)).isEqualTo(tree(OWN_ROLE));
        assertThat(quarantineIn(written).path("Sid").asText()).isEqualTo(QuarantineStatement.SID);
    }

    @Test
    void addedTo_shouldKeepEveryStatementInOrderAndAppend_whenStatementIsAList() {
        // WHEN
        String written = QuarantineStatement.addedTo(Optional.of(policy(OWN_ROLE, PARTNER, EVERYONE)), RESOURCES, SPARED);

        // THEN
        JsonNode statements = statements(written);
        assertThat(statements).hasSize(4);
        assertThat(List.of(statements.get(0), statements.get(1), statements.get(2)))
                .containsExactly(tree(OWN_ROLE), tree(PARTNER), tree(EVERYONE));
        assertThat(statements.get(3).path("Sid").asText()).isEqualTo(QuarantineStatement.SID);
    }

    @Test
    void addedTo_shouldKeepTheExistingVersionAndOtherFields_whenThePolicyHasThem() {
        String existing = "{\"Version\": \"2008-10-17\", \"Id\": \"orders-policy\", \"Statement\": [" + OWN_ROLE + "]}";

        JsonNode written = tree(QuarantineStatement.addedTo(Optional.of(existing), RESOURCES, SPARED));

        assertThat(written.path("Version").asText()).isEqualTo("2008-10-17");
        assertThat(written.path("Id").asText()).isEqualTo("orders-policy");
    }

    @Test
    void addedTo_shouldNeverSayNotPrincipal_whenAddingToAnyPolicy() {
        for (Optional<String> existing : List.of(Optional.<String>empty(), Optional.of(policy(OWN_ROLE)))) {
            assertThat(QuarantineStatement.addedTo(existing, RESOURCES, SPARED)).doesNotContain("NotPrincipal");
        }
    }

    @Test
    void addedTo_shouldSpareByArnNotLikeOnPrincipalArn_whenGivenSparedPatterns() {
        // WHEN
        JsonNode condition = quarantineIn(QuarantineStatement.addedTo(Optional.empty(), RESOURCES, SPARED))
                .path("Condition");

        // THEN exactly one operator, one key, the patterns as given
        assertThat(condition.size()).isEqualTo(1);
        assertThat(condition.path("ArnNotLike").size()).isEqualTo(1);
        assertThat(condition.path("ArnNotLike").path("aws:PrincipalArn"))
                .extracting(JsonNode::asText).containsExactlyElementsOf(SPARED);
    }

    @Test
    void addedTo_shouldDenyExactlyTheResourcesGiven_whenGivenTableAndIndexes() {
        // WHEN
        JsonNode resource = quarantineIn(QuarantineStatement.addedTo(Optional.empty(), RESOURCES, SPARED))
                .path("Resource");

        // THEN
        assertThat(resource).extracting(JsonNode::asText).containsExactlyElementsOf(RESOURCES);
    }

    @ParameterizedTest(name = "existing policy {0}")
    @ValueSource(strings = {"{not json", "[]", "\"text\""})
    void addedTo_shouldThrowIllegalArgument_whenTheExistingPolicyIsNotAJsonObject(String existing) {
        assertThatThrownBy(() -> QuarantineStatement.addedTo(Optional.of(existing), RESOURCES, SPARED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("existing policy");
    }

    @Test
    void isIn_shouldFindTheStatement_whenAddedToAList() {
        assertThat(QuarantineStatement.isIn(QuarantineStatement.addedTo(Optional.of(policy(OWN_ROLE)), RESOURCES, SPARED)))
                .isTrue();
    }

    @Test
    void isIn_shouldFindTheStatement_whenItIsTheObjectFormStatement() {
        String single = tree(QuarantineStatement.addedTo(Optional.empty(), RESOURCES, SPARED)).path("Statement").get(0)
                .toString();

        assertThat(QuarantineStatement.isIn("{\"Version\": \"2012-10-17\", \"Statement\": " + single + "}")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"Version\": \"2012-10-17\", \"Statement\": []}", "{\"Version\": \"2012-10-17\"}",
            "{not json", "{\"Statement\": [{\"Sid\": \"DdbWardenQuarantineOld\", \"Effect\": \"Deny\"}]}"})
    void isIn_shouldBeFalse_whenThePolicyHoldsNoStatementOfThatSid(String policy) {
        assertThat(QuarantineStatement.isIn(policy)).isFalse();
    }

    /** Anyone allowed PutResourcePolicy can write the Sid: a statement under it that denies less is no quarantine. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"Sid\": \"DdbWardenQuarantine\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"dynamodb:*\"}",
            "{\"Sid\": \"DdbWardenQuarantine\", \"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:role/x\"},"
                    + " \"Action\": \"dynamodb:*\"}",
            "{\"Sid\": \"DdbWardenQuarantine\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"dynamodb:DeleteItem\"}",
            "{\"Sid\": \"DdbWardenQuarantine\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"dynamodb:*\","
                    + " \"Condition\": {\"ArnNotLike\": {\"aws:PrincipalArn\": [\"arn:aws:iam::123456789012:role/*\"]}}}",
            "{\"Sid\": \"DdbWardenQuarantine\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"dynamodb:*\","
                    + " \"Condition\": {\"ArnNotLike\": {\"aws:PrincipalArn\": \"*\"}}}",
            "{\"Sid\": \"DdbWardenQuarantine\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"dynamodb:*\","
                    + " \"Condition\": {\"StringEquals\": {\"aws:SourceVpc\": \"vpc-1\"}}}"})
    void isIn_shouldBeFalse_whenTheSidNamesAStatementThatDeniesLess(String statement) {
        assertThat(QuarantineStatement.isIn("{\"Version\": \"2012-10-17\", \"Statement\": [" + statement + "]}")).isFalse();
    }

    @Test
    void addedTo_shouldReplaceAStatementThatTookTheSid_whenThePolicyHasOne() {
        String taken = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"DdbWardenQuarantine\", \"Effect\": \"Allow\","
                + " \"Principal\": \"*\", \"Action\": \"dynamodb:*\", \"Resource\": \"*\"}]}";

        String quarantined = QuarantineStatement.addedTo(Optional.of(taken), RESOURCES, SPARED);

        assertThat(tree(quarantined).path("Statement")).singleElement()
                .satisfies(s -> assertThat(s.path("Effect").asText()).isEqualTo("Deny"));
        assertThat(QuarantineStatement.isIn(quarantined)).isTrue();
    }
}
