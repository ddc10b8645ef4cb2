package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The only code that reads the EventBridge envelope and its CloudTrail record (and, through
 * {@link BackupRestoreParser}, AWS Backup's restore job events). It accepts anything and returns either a
 * typed {@link ApiCall} or the reason the event cannot be used, never throwing.
 */
public final class ApiCallParser {
    private static final String CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final int MAX_ID_LENGTH = 128;

    private ApiCallParser() {
    }

    public static Parsed parse(JsonNode envelope) {
        if (envelope == null || !envelope.isObject()) {
            return rejected("the event is not a JSON object");
        }
        String detailType = Json.text(envelope, "detail-type");
        if (BackupRestoreParser.DETAIL_TYPE.equals(detailType)) {
            return BackupRestoreParser.parse(envelope);
        }
        if (!CLOUDTRAIL_DETAIL_TYPE.equals(detailType)) {
            return rejected("detail-type is " + Excerpt.quoted(detailType) + ", not '" + CLOUDTRAIL_DETAIL_TYPE + "'");
        }
        JsonNode detail = envelope.get("detail");
        if (detail == null || !detail.isObject()) {
            return rejected("the event has no CloudTrail record in 'detail'");
        }
        String eventId = Json.text(detail, "eventID");
        if (eventId.isEmpty() || eventId.length() > MAX_ID_LENGTH) {
            return rejected("detail.eventID is missing or not a short string");
        }
        String eventName = Json.text(detail, "eventName");
        if (eventName.isEmpty() || eventName.length() > MAX_ID_LENGTH) {
            return rejected("detail.eventName is missing or not a short string");
        }
        // A forwarded event keeps its original region in the record: the envelope's is only a fallback.
        String region = firstNonEmpty(Json.text(detail, "awsRegion"), Json.text(envelope, "region"));
        if (!RegionNames.isReal(region)) {
            return rejected("detail.awsRegion " + Excerpt.quoted(region)
                    + " is not an AWS region (neither one this SDK knows nor one an AWS partition would name)");
        }
        String account = firstNonEmpty(Json.text(detail, "recipientAccountId"), Json.text(envelope, "account"));
        if (!ACCOUNT.matcher(account).matches()) {
            return rejected("neither detail.recipientAccountId nor account is a 12-digit account ID");
        }
        ApiCall call = new ApiCall(
                eventId,
                eventName,
                Json.text(detail, "eventSource"),
                // The envelope's time comes with the event, close to the call's: better than none.
                EventTime.parse(Json.text(detail, "eventTime")).or(() -> EventTime.parse(Json.text(envelope, "time"))),
                region,
                account,
                actor(detail.get("userIdentity")),
                Json.text(detail, "sourceIPAddress"),
                Json.text(detail, "userAgent"),
                objectOrEmpty(detail.get("requestParameters")),
                objectOrEmpty(detail.get("responseElements")),
                resourceArns(detail.get("resources")),
                Json.text(detail, "errorCode"),
                Json.text(detail, "vpcEndpointId"));
        // Only a forged or damaged record names a region that does not exist; acting on it fails on every retry.
        Optional<String> unreal = NamedRegions.unreal(call);
        return unreal.isPresent() ? rejected(unreal.get()) : new Parsed.Call(call);
    }

    /**
     * A CloudTrail record on its own, as CloudTrail's LookupEvents returns it ({@code CloudTrailEvent}), read
     * as if EventBridge had delivered it, with the same checks.
     */
    public static Parsed parseRecord(JsonNode record) {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("detail-type", CLOUDTRAIL_DETAIL_TYPE);
        envelope.set("detail", record);
        return parse(envelope);
    }

    private static Actor actor(JsonNode identity) {
        if (identity == null || !identity.isObject()) {
            return Actor.UNKNOWN;
        }
        return new Actor(
                Json.text(identity, "type"),
                Json.text(identity, "arn"),
                Json.text(identity, "accountId"),
                Json.text(identity, "userName"),
                Json.text(identity, "sessionContext", "sessionIssuer", "arn"),
                Json.text(identity, "invokedBy"));
    }

    private static List<String> resourceArns(JsonNode resources) {
        List<String> arns = new ArrayList<>();
        if (resources != null && resources.isArray()) {
            for (JsonNode resource : resources) {
                String arn = Json.text(resource, "ARN");
                if (!arn.isEmpty()) {
                    arns.add(arn);
                }
            }
        }
        return arns;
    }

    private static JsonNode objectOrEmpty(JsonNode node) {
        return node != null && node.isObject() ? node : JsonNodeFactory.instance.objectNode();
    }

    private static String firstNonEmpty(String first, String second) {
        return first.isEmpty() ? second : first;
    }

    private static Parsed rejected(String reason) {
        return new Parsed.Rejected(reason);
    }
}
