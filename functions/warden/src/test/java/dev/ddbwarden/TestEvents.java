package dev.ddbwarden;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.event.TableRef;

import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Small CloudTrail-over-EventBridge events built inline, shaped like the records AWS delivers, so that
 * the module's tests read nothing outside the module. Tests change the returned tree as they need.
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

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
