package dev.ddbwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.Parsed;

/**
 * CloudTrail-over-EventBridge events of calls on any service, for the watcher's tests: built inline,
 * shaped like what AWS delivers, made by a session of {@link #DEVELOPER_ROLE} unless changed.
 */
public final class WatcherEvents {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final String STACK = "ddb-warden";
    public static final String EVENT_ID = "5f1d2c3b-4a59-4687-8b7c-6d5e4f3a2b1c";
    public static final String DEVELOPER_ROLE = "arn:aws:iam::123456789012:role/developer";
    public static final String DEPLOYER_ROLE = "arn:aws:iam::123456789012:role/ddb-warden-deployer";

    private static final String ENVELOPE = """
            {
              "version": "0",
              "id": "0e1d2c3b-4a59-4687-8b7c-6d5e4f3a2b1c",
              "detail-type": "AWS API Call via CloudTrail",
              "source": "aws.%1$s",
              "account": "%2$s",
              "time": "2024-06-03T09:12:44Z",
              "region": "%3$s",
              "resources": [],
              "detail": {
                "eventVersion": "1.09",
                "eventTime": "2024-06-03T09:12:44Z",
                "eventSource": "%1$s.amazonaws.com",
                "eventName": "%4$s",
                "awsRegion": "%3$s",
                "sourceIPAddress": "198.51.100.23",
                "userAgent": "aws-cli/2.15.0 Python/3.11.6",
                "requestParameters": %5$s,
                "responseElements": null,
                "requestID": "0f4c1b2a-aaaa-4bbb-8ccc-0123456789ab",
                "eventID": "%6$s",
                "readOnly": false,
                "eventType": "AwsApiCall",
                "managementEvent": true,
                "recipientAccountId": "%2$s",
                "eventCategory": "Management"
              }
            }
            """;

    private WatcherEvents() {
    }

    /**
     * A successful call in us-east-1 by a session of {@link #DEVELOPER_ROLE}.
     *
     * @param service the service's short name, as in {@code aws.SERVICE} and {@code SERVICE.amazonaws.com}
     * @param request the JSON of {@code requestParameters}
     */
    public static ObjectNode event(String service, String eventName, String request) {
        ObjectNode event = (ObjectNode) TestEvents.tree(ENVELOPE.formatted(service, ACCOUNT, REGION, eventName, request, EVENT_ID));
        detail(event).set("userIdentity", session(DEVELOPER_ROLE, "mallory"));
        return event;
    }

    /** The same call made by a session of {@code roleArn}. */
    public static ObjectNode by(ObjectNode event, String roleArn) {
        detail(event).set("userIdentity", session(roleArn, "AWSCloudFormation"));
        return event;
    }

    /** The same call recorded in another region. */
    public static ObjectNode in(ObjectNode event, String region) {
        event.put("region", region);
        detail(event).put("awsRegion", region);
        return event;
    }

    public static ObjectNode detail(ObjectNode event) {
        return (ObjectNode) event.get("detail");
    }

    public static ApiCall call(JsonNode event) {
        Parsed parsed = ApiCallParser.parse(event);
        if (parsed instanceof Parsed.Rejected rejected) {
            throw new AssertionError("test event rejected: " + rejected.reason());
        }
        return ((Parsed.Call) parsed).call();
    }

    public static ApiCall call(String service, String eventName, String request) {
        return call(event(service, eventName, request));
    }

    private static ObjectNode session(String roleArn, String session) {
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        ObjectNode identity = TestEvents.JSON.createObjectNode();
        identity.put("type", "AssumedRole");
        identity.put("principalId", "AROAEXAMPLE:" + session);
        identity.put("arn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + roleName + "/" + session);
        identity.put("accountId", ACCOUNT);
        ObjectNode issuer = identity.putObject("sessionContext").putObject("sessionIssuer");
        issuer.put("type", "Role");
        issuer.put("arn", roleArn);
        issuer.put("accountId", ACCOUNT);
        issuer.put("userName", roleName);
        return identity;
    }
}
