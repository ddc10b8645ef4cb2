package dev.ddbwarden.local;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;

import java.util.Map;

/**
 * Customer managed KMS keys in a local AWS, and tables encrypted with them, for the table-key rule's demo and tests.
 * moto_server makes no grant when a table is created with a key; {@link #grantToDynamoDb} makes the one DynamoDB
 * makes, with the table's encryption context as its constraint.
 */
public final class LocalKeys implements AutoCloseable {
    /** The key every table-key sample in events/ names; {@link #event} puts a local key in its place. */
    public static final String SAMPLE_KEY_ID = "7d3e9f21-4c5b-4a8e-9b1f-2e6a4c8d0f13";

    private final KmsClient kms = KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    private final DynamoDbClient dynamo;

    public LocalKeys(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    public KmsClient kms() {
        return kms;
    }

    /** A new symmetric customer managed key; returns its ARN. */
    public String createKey() {
        return kms.createKey(r -> r.description("ddb-warden local table key")).keyMetadata().arn();
    }

    /** A table encrypted with {@code keyArn}, and the grant DynamoDB would hold on the key for it. */
    public void createTable(String name, String keyArn) {
        createTable(name, keyArn, true);
    }

    /**
     * A table encrypted with {@code keyArn}, with DynamoDB's grant on the key when {@code granted} (a key of another
     * account holds none here).
     */
    public void createTable(String name, String keyArn, boolean granted) {
        dynamo.createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .deletionProtectionEnabled(true)
                .sseSpecification(s -> s.enabled(true).sseType(SSEType.KMS).kmsMasterKeyId(keyArn)));
        if (granted) {
            grantToDynamoDb(keyArn, name);
        }
    }

    /** The grant DynamoDB creates on a table's key; returns its ID. */
    public String grantToDynamoDb(String keyArn, String table) {
        String account = keyArn.split(":", 6)[4];
        String region = keyArn.split(":", 6)[3];
        return kms.createGrant(r -> r.keyId(keyArn).granteePrincipal("dynamodb." + region + ".amazonaws.com")
                .operations(GrantOperation.DECRYPT, GrantOperation.ENCRYPT, GrantOperation.GENERATE_DATA_KEY,
                        GrantOperation.RE_ENCRYPT_FROM, GrantOperation.RE_ENCRYPT_TO, GrantOperation.DESCRIBE_KEY)
                .constraints(c -> c.encryptionContextSubset(Map.of("aws:dynamodb:tableName", table,
                        "aws:dynamodb:subscriberId", account)))).grantId();
    }

    /** DisableKey, by ID: moto_server takes no ARN for it. */
    public void disable(String keyArn) {
        kms.disableKey(r -> r.keyId(id(keyArn)));
    }

    /** ScheduleKeyDeletion after the shortest window, by ID. */
    public void scheduleDeletion(String keyArn) {
        kms.scheduleKeyDeletion(r -> r.keyId(id(keyArn)).pendingWindowInDays(7));
    }

    private static String id(String keyArn) {
        return keyArn.substring(keyArn.lastIndexOf('/') + 1);
    }

    public String keyState(String keyArn) {
        return kms.describeKey(r -> r.keyId(keyArn)).keyMetadata().keyStateAsString();
    }

    /** A table-key sample with {@code keyArn}'s ID in place of the sample key. */
    public static String event(String sample, String keyArn) {
        return sample.replace(SAMPLE_KEY_ID, id(keyArn));
    }

    @Override
    public void close() {
        kms.close();
    }
}
