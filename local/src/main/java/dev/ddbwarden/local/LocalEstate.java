package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lays out resources in a local AWS for the demo and the integration tests: the alert topic with an
 * SQS inbox subscribed to it, the ledger, the settings parameter, and tables in whatever state a case needs.
 */
public final class LocalEstate implements AutoCloseable {
    public static final String TOPIC = "ddb-warden-alerts";
    public static final String INBOX = "ddb-warden-inbox";
    public static final String LEDGER = "ddb-warden-ledger";

    private final DynamoDbClient dynamo;
    private final SnsClient sns = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    private final SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    private final SsmClient ssm = SsmClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    private final ObjectMapper json = new ObjectMapper();

    /** The estate in the SDK's configured region. */
    public LocalEstate() {
        this.dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    private LocalEstate(String region) {
        this(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(software.amazon.awssdk.regions.Region.of(region)).build());
    }

    private LocalEstate(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /**
     * The same local AWS seen from a member account of an Organization, through the member role {@code roleName}
     * (path /ddb-warden/) as ddb-warden assumes it: moto_server gives the assumed role's account its own tables.
     */
    public LocalEstate inAccount(String account, String roleName) {
        return new LocalEstate(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(assumed("arn:aws:iam::" + account + ":role/ddb-warden/" + roleName)).build());
    }

    /** Credentials of {@code roleArn}, assumed through the local STS: moto_server puts them in the role's account. */
    static AwsCredentialsProvider assumed(String roleArn) {
        try (StsClient sts = StsClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            Credentials session = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("ddb-warden-local")).credentials();
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    session.accessKeyId(), session.secretAccessKey(), session.sessionToken()));
        }
    }

    /** The same local AWS seen from another region: its tables are that region's. */
    public LocalEstate inRegion(String region) {
        return new LocalEstate(region);
    }

    /** Writes {@code count} small items, so that "data intact" can be checked afterwards. */
    public void putItems(String table, int count) {
        for (int i = 0; i < count; i++) {
            String key = "item-" + i;
            dynamo.putItem(r -> r.tableName(table).item(Map.of(
                    "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(key))));
        }
    }

    public int itemCount(String table) {
        return dynamo.scan(r -> r.tableName(table)).count();
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public SnsClient sns() {
        return sns;
    }

    /** Parameter Store, where the stack's settings parameter lives. */
    public SsmClient ssm() {
        return ssm;
    }

    /** The topic ARN; its messages land in the queue {@link #inboxUrl()} returns. */
    public String createAlertTopic() {
        String topicArn = sns.createTopic(r -> r.name(TOPIC)).topicArn();
        String queueUrl = sqs.createQueue(r -> r.queueName(INBOX)).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
        return topicArn;
    }

    /** A plain queue (the re-check queues' stand-in); returns its URL. */
    public String createQueue(String name) {
        return sqs.createQueue(r -> r.queueName(name)).queueUrl();
    }

    public String inboxUrl() {
        return sqs.getQueueUrl(r -> r.queueName(INBOX)).queueUrl();
    }

    /** The ledger with the key schema template.yaml gives it. */
    public void createLedger() {
        dynamo.createTable(r -> r.tableName(LEDGER)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("eventId"), attribute("subject"))
                .keySchema(key("eventId", KeyType.HASH), key("subject", KeyType.RANGE)));
    }

    public void createTable(String name, boolean deletionProtection) {
        dynamo.createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("pk"))
                .keySchema(key("pk", KeyType.HASH))
                .deletionProtectionEnabled(deletionProtection));
    }

    /**
     * Makes the call a PutResourcePolicy event records (its resource and policy) against this estate, and
     * returns the event with the revision the write really produced, as CloudTrail would have recorded it.
     */
    public String replayPolicyWrite(String event) throws Exception {
        ObjectNode envelope = (ObjectNode) json.readTree(event);
        JsonNode request = envelope.path("detail").path("requestParameters");
        String revision = dynamo.putResourcePolicy(r -> r.resourceArn(request.path("resourceArn").asText())
                .policy(request.path("policy").asText())).revisionId();
        ((ObjectNode) envelope.path("detail")).putObject("responseElements").put("revisionId", revision);
        return json.writeValueAsString(envelope);
    }

    /** The table's resource policy document, or empty when it has none. */
    public java.util.Optional<String> policy(String name) {
        try {
            return java.util.Optional.of(dynamo.getResourcePolicy(r -> r.resourceArn(describe(name).tableArn())).policy());
        } catch (software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException e) {
            return java.util.Optional.empty();
        }
    }

    public TableDescription describe(String name) {
        return dynamo.describeTable(r -> r.tableName(name)).table();
    }

    public Map<String, String> tags(String name) {
        Map<String, String> tags = new java.util.TreeMap<>();
        dynamo.listTagsOfResource(r -> r.resourceArn(describe(name).tableArn())).tags()
                .forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    /** Every alert waiting in the inbox, removed from it: subject, message and attributes. */
    public List<JsonNode> drainAlerts() throws Exception {
        String queueUrl = inboxUrl();
        List<JsonNode> alerts = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                return alerts;
            }
            for (Message message : messages) {
                alerts.add(json.readTree(message.body()));
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** The ledger's decisions, one per event, rule and table (not the breaker's and sweep's counters, nor its memory of tables). */
    public List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> ledgerItems() {
        return dynamo.scan(r -> r.tableName(LEDGER)).items().stream()
                .filter(item -> !item.get("eventId").s().matches("(breaker|sweep|seen)#.*"))
                .collect(java.util.stream.Collectors.toList());
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /** An S3 bucket in {@code region}: where an export of the egress rule's cases goes. */
    public void createBucket(String bucket, String region) {
        try (software.amazon.awssdk.services.s3.S3Client s3 = software.amazon.awssdk.services.s3.S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create()).region(software.amazon.awssdk.regions.Region.of(region)).build()) {
            // S3 takes no location constraint for us-east-1, its default.
            s3.createBucket(r -> {
                r.bucket(bucket);
                if (!"us-east-1".equals(region)) {
                    r.createBucketConfiguration(c -> c.locationConstraint(region));
                }
            });
        }
    }

    @Override
    public void close() {
        dynamo.close();
        sns.close();
        sqs.close();
        ssm.close();
    }
}
