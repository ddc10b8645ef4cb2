package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.encryption.EncryptionRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WardenHandler running the encryption rule against moto_server on loopback. moto 5.2.1 models a table
 * created with SSESpecification and KMS keys (CreateKey, DescribeKey, DisableKey), but accepts UpdateTable's
 * SSESpecification and ignores it: a test makes the table again under the key the change would leave it with,
 * and cannot see the fix's key on the live table (RestoreKeyFixTest asserts its request with a mocked client).
 */
class EncryptionIT {
    private final Harness harness = new Harness();
    private final KmsClient kms = KmsClient.create();

    @AfterAll
    static void everyCallTheHandlerMade_shouldBeGrantedByTheTemplate() throws Exception {
        Harness.assertCallsGranted(new EncryptionRule(), "dynamodb:DescribeTable", "kms:DescribeKey",
                "dynamodb:UpdateTable", "sns:Publish", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem");
    }

    @AfterEach
    void tearDown() {
        kms.close();
        harness.close();
    }

    private JsonNode invoke(Map<String, String> overrides, String event) throws Exception {
        return Harness.invoke(new WardenHandler(new EncryptionRule(), Services.create(harness.settings(overrides))), event);
    }

    /** A CreateTable event for {@code table}, as CloudTrail records one. */
    private static String created(String table) throws Exception {
        ObjectNode event = (ObjectNode) Harness.JSON.readTree(Project.event("create-table-unprotected.json"));
        ((ObjectNode) event.path("detail").path("requestParameters")).put("tableName", table);
        return event.toString();
    }

    private void createTable(String name, String keyArn) {
        harness.estate.dynamo().createTable(r -> {
            r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
            if (keyArn != null) {
                r.sseSpecification(s -> s.enabled(true).sseType(SSEType.KMS).kmsMasterKeyId(keyArn));
            }
        });
    }

    /** payments was under {@code keyArn} when the rule last saw it, and is now under an AWS owned key. */
    private void givenPaymentsMovedOff(String keyArn) throws Exception {
        createTable("payments", keyArn);
        assertThat(invoke(Map.of(), created("payments")).at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        harness.estate.dynamo().deleteTable(r -> r.tableName("payments"));
        createTable("payments", null);
    }

    @Test
    void movedToAnAwsOwnedKey_shouldBePutBackUnderTheKeyTheLedgerRemembers_andAlertedHigh() throws Exception {
        // GIVEN a customer managed key, and payments moved off it
        String key = kms.createKey().keyMetadata().arn();
        givenPaymentsMovedOff(key);

        // WHEN the UpdateTable event arrives
        JsonNode result = invoke(Map.of(), Project.event("update-table-sse-aws-owned.json"));

        // THEN the fix asked DynamoDB for the remembered key (moto ignores it), and the alert names both keys
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        List<JsonNode> alerts = harness.estate.drainAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[HIGH]").contains("payments");
            assertThat(alert.path("Message").asText()).contains("was under customer managed key " + key)
                    .contains("Put the table back under its previous customer managed key " + key);
        });
    }

    @Test
    void previousKeyDisabled_shouldNotBeRestored_butAlerted() throws Exception {
        var created = kms.createKey().keyMetadata();
        String key = created.arn();
        givenPaymentsMovedOff(key);
        kms.disableKey(r -> r.keyId(created.keyId()));

        JsonNode result = invoke(Map.of(), Project.event("update-table-sse-aws-owned.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> assertThat(alert.path("Message").asText())
                .contains("Not restored: the previous key " + key + " is Disabled"));
    }

    @Test
    void tableNeverSeen_shouldBeAlertedHigh_withTheCommand_andNotFixed() throws Exception {
        createTable("payments", null);

        JsonNode result = invoke(Map.of(), Project.event("update-table-sse-aws-owned.json"));

        assertThat(result.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.path("Subject").asText()).startsWith("[HIGH]");
            assertThat(alert.path("Message").asText()).contains("--sse-specification Enabled=true,SSEType=KMS");
        });
    }

    @Test
    void newTableWithoutACustomerManagedKey_shouldBeReported_onlyWhenRequireCmk() throws Exception {
        createTable("orders", null);

        JsonNode allowed = invoke(Map.of(), Project.event("create-table-unprotected.json"));
        JsonNode required = invoke(Map.of("REQUIRE_CMK", "true"), created("orders").replace(
                "\"eventID\":\"", "\"eventID\":\"again-"));

        assertThat(allowed.at("/results/0/action").asText()).isEqualTo("COMPLIANT");
        assertThat(required.at("/results/0/action").asText()).isEqualTo("ALERTED");
        assertThat(harness.estate.drainAlerts()).singleElement().satisfies(alert ->
                assertThat(alert.path("Subject").asText()).startsWith("[MEDIUM]"));
    }
}
