package dev.ddbwarden;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.event.TableRef;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * CloudTrail-over-EventBridge events: the project's samples in events/ as AWS delivers them ({@link #sample}),
 * and, for the cases no sample shows, small ones built inline in the same shape. Tests change the returned
 * tree as they need.
 */
public final class TestEvents {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final String EVENT_ID = "3c9b1a2e-7d4f-4e8a-9b6c-5f0d1e2a3b4c";
    public static final Instant EVENT_TIME = Instant.parse("2024-05-01T12:00:00Z");
    public static final String SOURCE_IP = "203.0.113.7";
    public static final String USER_AGENT = "aws-cli/2.15.30 Python/3.11.8";
    /** The role the tests list in APPROVED_PRINCIPALS. */
    public static final String APPROVED_ROLE = "arn:aws:iam::123456789012:role/PlatformAdmin";
    /** A role that is not approved; the default actor of {@link #event}. */
    public static final String DEVELOPER_ROLE = "arn:aws:iam::123456789012:role/Developer";

    private static final String ENVELOPE = """
            {
              "version": "0",
              "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
              "detail-type": "AWS API Call via CloudTrail",
              "source": "aws.dynamodb",
              "account": "%1$s",
              "time": "2024-05-01T12:00:00Z",
              "region": "%2$s",
              "resources": [],
              "detail": {
                "eventVersion": "1.09",
                "eventTime": "2024-05-01T12:00:00Z",
                "eventSource": "dynamodb.amazonaws.com",
                "eventName": "%3$s",
                "awsRegion": "%2$s",
                "sourceIPAddress": "%4$s",
                "userAgent": "%5$s",
                "requestParameters": {"tableName": "%6$s"},
                "responseElements": null,
                "requestID": "K5G3O8C1U0T7E2L9D6Q4A5B8C7D6E5F4",
                "eventID": "%7$s",
                "readOnly": false,
                "eventType": "AwsApiCall",
                "managementEvent": true,
                "recipientAccountId": "%1$s",
                "eventCategory": "Management"
              }
            }
            """;

    private TestEvents() {
    }

    /** A sample of events/ (on the test classpath, see pom.xml), e.g. {@code create-table-unprotected.json}. */
    public static ObjectNode sample(String file) {
        try (InputStream in = TestEvents.class.getResourceAsStream("/events/" + file)) {
            if (in == null) {
                throw new AssertionError("no events/" + file + " on the test classpath");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event for {@code eventName} naming {@code tableName}, made by an assumed-role session of {@link #DEVELOPER_ROLE}. */
    public static ObjectNode event(String eventName, String tableName) {
        ObjectNode event = (ObjectNode) tree(ENVELOPE.formatted(ACCOUNT, REGION, eventName, SOURCE_IP, USER_AGENT,
                tableName, EVENT_ID));
        detail(event).set("userIdentity", assumedRole(DEVELOPER_ROLE, "alice"));
        return event;
    }

    /** The same event made by an assumed-role session of {@code roleArn}. */
    public static ObjectNode eventBy(String roleArn, String eventName, String tableName) {
        ObjectNode event = event(eventName, tableName);
        detail(event).set("userIdentity", assumedRole(roleArn, "session-1"));
        return event;
    }

    public static ObjectNode detail(JsonNode event) {
        return (ObjectNode) event.get("detail");
    }

    /** The record's {@code requestParameters}, to add to. */
    public static ObjectNode request(JsonNode event) {
        return (ObjectNode) detail(event).get("requestParameters");
    }

    /** A {@code userIdentity} of type AssumedRole, as CloudTrail writes it for a role session. */
    public static ObjectNode assumedRole(String roleArn, String session) {
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        return (ObjectNode) tree("""
                {
                  "type": "AssumedRole",
                  "principalId": "AROAEXAMPLEID:%3$s",
                  "arn": "arn:aws:sts::%1$s:assumed-role/%2$s/%3$s",
                  "accountId": "%1$s",
                  "accessKeyId": "ASIAEXAMPLEKEY",
                  "sessionContext": {
                    "sessionIssuer": {
                      "type": "Role",
                      "principalId": "AROAEXAMPLEID",
                      "arn": "%4$s",
                      "accountId": "%1$s",
                      "userName": "%2$s"
                    },
                    "attributes": {"creationDate": "2024-05-01T11:58:00Z", "mfaAuthenticated": "false"}
                  }
                }
                """.formatted(ACCOUNT, roleName, session, roleArn));
    }

    /**
     * A PutResourcePolicy on {@code resourceArn} (a table's or a stream's ARN) whose response carried
     * {@code revisionId}; a null revision leaves {@code responseElements} null, as CloudTrail does for a
     * call with no response.
     */
    public static ObjectNode putResourcePolicy(String resourceArn, String policy, String revisionId) {
        ObjectNode event = event("PutResourcePolicy", "unused");
        request(event).removeAll().put("resourceArn", resourceArn).put("policy", policy);
        if (revisionId != null) {
            detail(event).putObject("responseElements").put("revisionId", revisionId);
        }
        return event;
    }

    /** The same call, refused: CloudTrail records an error code and message and no response. */
    public static ObjectNode refused(ObjectNode event, String errorCode) {
        detail(event).put("errorCode", errorCode).put("errorMessage", errorCode + ": refused in a test")
                .putNull("responseElements");
        return event;
    }

    /** A CreateTable of {@code tableName} carrying {@code resourcePolicy}, answered with a CREATING table. */
    public static ObjectNode createTableWithPolicy(String tableName, String resourcePolicy) {
        ObjectNode event = event("CreateTable", tableName);
        request(event).put("billingMode", "PAY_PER_REQUEST").put("resourcePolicy", resourcePolicy);
        detail(event).putObject("responseElements").putObject("tableDescription").put("tableName", tableName)
                .put("tableArn", table(tableName).arn()).put("tableStatus", "CREATING");
        return event;
    }

    /** An ExportTableToPointInTime of {@code tableName} to {@code bucket}; a null owner omits s3BucketOwner. */
    public static ObjectNode exportTo(String tableName, String bucket, String bucketOwner) {
        ObjectNode event = event("ExportTableToPointInTime", "unused");
        ObjectNode request = request(event).removeAll().put("tableArn", table(tableName).arn()).put("s3Bucket", bucket)
                .put("s3Prefix", "exports/" + tableName + "/").put("exportFormat", "DYNAMODB_JSON");
        if (bucketOwner != null) {
            request.put("s3BucketOwner", bucketOwner);
        }
        return event;
    }

    /** The same event as recorded in {@code region}: the record's awsRegion and the envelope's region. */
    public static ObjectNode inRegion(ObjectNode event, String region) {
        event.put("region", region);
        detail(event).put("awsRegion", region);
        return event;
    }

    /** A CreateTable of {@code tableName} in {@code region}, answered with a CREATING table. */
    public static ObjectNode createTableIn(String region, String tableName) {
        ObjectNode event = inRegion(event("CreateTable", tableName), region);
        request(event).put("billingMode", "PAY_PER_REQUEST");
        detail(event).putObject("responseElements").putObject("tableDescription").put("tableName", tableName)
                .put("tableArn", tableIn(region, tableName).arn()).put("tableStatus", "CREATING");
        return event;
    }

    /**
     * A RestoreTableFromBackup or RestoreTableToPointInTime in {@code region} of {@code source} into
     * {@code target}: the new table is the request's targetTableName.
     */
    public static ObjectNode restoreIn(String region, String eventName, String source, String target) {
        ObjectNode event = inRegion(event(eventName, "unused"), region);
        ObjectNode request = request(event).removeAll().put("targetTableName", target);
        if ("RestoreTableFromBackup".equals(eventName)) {
            request.put("backupArn", tableIn(region, source).arn() + "/backup/01715677200000-a1b2c3d4");
        } else {
            request.put("sourceTableArn", tableIn(region, source).arn()).put("useLatestRestorableTime", true);
        }
        return event;
    }

    /** An ImportTable in {@code region} creating {@code tableName} (tableCreationParameters.tableName). */
    public static ObjectNode importIn(String region, String tableName) {
        ObjectNode event = inRegion(event("ImportTable", "unused"), region);
        ObjectNode request = request(event).removeAll().put("inputFormat", "DYNAMODB_JSON");
        request.putObject("s3BucketSource").put("s3Bucket", "import-bucket").put("s3KeyPrefix", "exports/");
        request.putObject("tableCreationParameters").put("tableName", tableName).put("billingMode", "PAY_PER_REQUEST");
        return event;
    }

    /** An UpdateTable of {@code tableName} (in {@link #REGION}) adding a replica in each of {@code regions}. */
    public static ObjectNode addReplicas(String tableName, String... regions) {
        ObjectNode event = event("UpdateTable", tableName);
        var updates = request(event).putArray("replicaUpdates");
        for (String region : regions) {
            updates.addObject().putObject("create").put("regionName", region);
        }
        return event;
    }

    /** A legacy (2017.11.29) CreateGlobalTable of {@code name} spanning {@code regions}. */
    public static ObjectNode createGlobalTable(String name, String... regions) {
        ObjectNode event = event("CreateGlobalTable", "unused");
        var group = request(event).removeAll().put("globalTableName", name).putArray("replicationGroup");
        for (String region : regions) {
            group.addObject().put("regionName", region);
        }
        return event;
    }

    /** A legacy UpdateGlobalTable of {@code name} adding a replica in each of {@code regions}. */
    public static ObjectNode updateGlobalTable(String name, String... regions) {
        ObjectNode event = event("UpdateGlobalTable", "unused");
        var updates = request(event).removeAll().put("globalTableName", name).putArray("replicaUpdates");
        for (String region : regions) {
            updates.addObject().putObject("create").put("regionName", region);
        }
        return event;
    }

    /** The typed call of an event that must parse; fails the test otherwise. */
    public static ApiCall call(JsonNode event) {
        Parsed parsed = ApiCallParser.parse(event);
        if (parsed instanceof Parsed.Call call) {
            return call.call();
        }
        throw new AssertionError("test event was rejected: " + ((Parsed.Rejected) parsed).reason());
    }

    public static TableRef table(String name) {
        return new TableRef("aws", REGION, ACCOUNT, name);
    }

    public static TableRef tableIn(String region, String name) {
        return new TableRef("aws", region, ACCOUNT, name);
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
