package dev.ddbwarden.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An event as EventBridge would deliver it, from what a security engineer copies out of AWS: an EventBridge
 * event as it is, or a CloudTrail record wrapped the way CloudTrail hands it to EventBridge ("AWS service
 * events delivered via AWS CloudTrail", EventBridge user guide,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html). A record may come
 * bare (one element of a trail log file's {@code Records}, or the event history console's event record), as a log
 * file or {@code lookup-events} output holding exactly one, as a {@code LookupEvents} entry (its
 * {@code CloudTrailEvent} string), or as a CloudTrail Lake result row whose columns are the record's fields.
 */
final class EventEnvelope {
    /** The envelope's {@code detail-type} for each CloudTrail {@code eventType} EventBridge receives. */
    private static final Map<String, String> DETAIL_TYPES = Map.of(
            "AwsApiCall", "AWS API Call via CloudTrail",
            "AwsServiceEvent", "AWS Service Event via CloudTrail",
            "AwsConsoleSignIn", "AWS Console Sign In via CloudTrail",
            "AwsConsoleAction", "AWS Console Action via CloudTrail",
            "AwsCloudTrailInsight", "AWS Insight via CloudTrail");
    private static final String SERVICE_DOMAIN = ".amazonaws.com";
    /** CloudTrail Lake returns a column name as the query spelled it, or in lower case: these are the record's. */
    private static final String[] RECORD_FIELDS = {"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName",
            "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
            "responseElements", "additionalEventData", "requestID", "eventID", "readOnly", "resources", "eventType",
            "apiVersion", "managementEvent", "recipientAccountId", "sharedEventID", "vpcEndpointId", "serviceEventDetails",
            "eventCategory", "tlsDetails", "sessionCredentialFromConsole", "addendum", "edgeDeviceDetails",
            "insightDetails", "annotation"};
    /** Columns CloudTrail Lake types {@code map<string,string>}: their nested values come back as text. */
    private static final Set<String> MAP_COLUMNS = Set.of("requestParameters", "responseElements", "additionalEventData");
    /** Request and response fields that hold a JSON document as a string (policy, resourcePolicy, policyDocument...). */
    private static final Pattern DOCUMENT = Pattern.compile("(?i).*(policy|document|definition)");
    private static final String LAKE_CAVEAT = ", its request and response fields read back from Lake's text: for the"
            + " record exactly as CloudTrail wrote it, take it from the trail's log file or the event history";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The event to deliver, and in a few words what the file held. */
    record Recognised(String form, ObjectNode event) {
    }

    /** A file that holds no event this command can deliver, and why. */
    static final class Unreadable extends Exception {
        Unreadable(String why) {
            super(why, null, false, false);
        }
    }

    private EventEnvelope() {
    }

    static Recognised recognise(String text) throws Unreadable {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Unreadable("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new Unreadable("the file is empty");
        }
        if (root.isObject() && root.has("detail-type") && root.has("source")) {
            if (!root.path("detail").isObject()) {
                throw new Unreadable("an EventBridge event without a detail object");
            }
            return new Recognised("EventBridge event", (ObjectNode) root);
        }
        if (root.isObject() && root.has("Records")) {
            return new Recognised("CloudTrail log file's only record", wrap(object(only(root.get("Records"), "Records"))));
        }
        if (root.isObject() && root.has("Events")) {
            return new Recognised("LookupEvents result's only event", wrap(lookupEvent(only(root.get("Events"), "Events"))));
        }
        if (root.isObject() && root.has("CloudTrailEvent")) {
            return new Recognised("LookupEvents event", wrap(lookupEvent(root)));
        }
        if (root.isObject() && root.has("QueryResultRows")) {
            return new Recognised("CloudTrail Lake result's only row" + LAKE_CAVEAT,
                    wrap(lakeRow(only(root.get("QueryResultRows"), "QueryResultRows"))));
        }
        if (root.isArray() && root.size() == 1 && root.get(0).has("eventSource")) {
            return new Recognised("CloudTrail record", wrap(object(root.get(0))));
        }
        if (root.isArray()) {
            return new Recognised("CloudTrail Lake result row" + LAKE_CAVEAT, wrap(lakeRow(root)));
        }
        if (root.isObject() && root.has("eventSource")) {
            return new Recognised("CloudTrail record", wrap((ObjectNode) root));
        }
        throw new Unreadable("neither an EventBridge event (source, detail-type, detail) nor a CloudTrail record"
                + " (eventSource, eventName, ...)");
    }

    /**
     * The EventBridge event CloudTrail sends for {@code record}: source {@code aws.SERVICE} from its eventSource,
     * the detail-type of its eventType, the account that received it, its region and time. The id is derived from
     * the record's eventID, so that delivering the same record twice is one event delivered twice.
     */
    static ObjectNode wrap(ObjectNode record) throws Unreadable {
        String eventSource = required(record, "eventSource");
        if (!eventSource.endsWith(SERVICE_DOMAIN)) {
            throw new Unreadable("eventSource '" + eventSource + "' is not an AWS service's (SERVICE" + SERVICE_DOMAIN + ")");
        }
        String eventType = required(record, "eventType");
        String detailType = DETAIL_TYPES.get(eventType);
        if (detailType == null) {
            throw new Unreadable("eventType '" + eventType + "': CloudTrail sends EventBridge only " + DETAIL_TYPES.keySet());
        }
        String eventId = required(record, "eventID");
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8)).toString());
        event.put("detail-type", detailType);
        event.put("source", "aws." + eventSource.substring(0, eventSource.length() - SERVICE_DOMAIN.length()));
        event.put("account", required(record, "recipientAccountId"));
        event.put("time", required(record, "eventTime"));
        event.put("region", required(record, "awsRegion"));
        event.putArray("resources");
        event.set("detail", record);
        return event;
    }

    private static String required(ObjectNode record, String field) throws Unreadable {
        JsonNode value = record.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new Unreadable("the CloudTrail record has no " + field + ", which the EventBridge envelope needs");
        }
        return value.asText();
    }

    private static JsonNode only(JsonNode list, String name) throws Unreadable {
        if (!list.isArray() || list.size() != 1) {
            throw new Unreadable(name + " holds " + (list.isArray() ? list.size() : "no list of") + " entries; deliver one,"
                    + " e.g. jq '." + name + "[0]' FILE");
        }
        return list.get(0);
    }

    private static ObjectNode object(JsonNode record) throws Unreadable {
        if (record instanceof ObjectNode object) {
            return object;
        }
        throw new Unreadable("a CloudTrail record is a JSON object, not " + abbreviated(record.toString()));
    }

    /** A LookupEvents entry carries the record as a JSON string. */
    private static ObjectNode lookupEvent(JsonNode entry) throws Unreadable {
        JsonNode text = entry.path("CloudTrailEvent");
        if (!text.isTextual()) {
            throw new Unreadable("a LookupEvents entry without its CloudTrailEvent");
        }
        try {
            JsonNode record = JSON.readTree(text.asText());
            if (record instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new Unreadable("its CloudTrailEvent is not valid JSON: " + e.getOriginalMessage());
        }
        throw new Unreadable("its CloudTrailEvent is not a JSON object");
    }

    /**
     * A CloudTrail Lake row (GetQueryResults: a list of one-column objects, every value a string) back into a
     * record: JSON values parsed, {@code eventTime}'s {@code yyyy-MM-dd HH:mm:ss.SSS} back to CloudTrail's ISO-8601.
     * A nested column Lake printed in its own {@code {key=value}} form cannot be read back faithfully: refused.
     */
    private static ObjectNode lakeRow(JsonNode row) throws Unreadable {
        if (!row.isArray()) {
            throw new Unreadable("a CloudTrail Lake row is a list of columns");
        }
        ObjectNode record = JSON.createObjectNode();
        for (JsonNode column : row) {
            Iterator<Map.Entry<String, JsonNode>> fields = column.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = recordField(field.getKey());
                record.set(name, lakeValue(name, field.getValue()));
            }
        }
        String time = record.path("eventTime").asText("");
        if (time.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)?")) {
            record.put("eventTime", time.substring(0, 10) + "T" + time.substring(11, 19) + "Z");
        }
        return record;
    }

    private static String recordField(String column) {
        for (String field : RECORD_FIELDS) {
            if (field.equalsIgnoreCase(column)) {
                return field;
            }
        }
        return column;
    }

    private static JsonNode lakeValue(String name, JsonNode value) throws Unreadable {
        if (!value.isTextual()) {
            return value;
        }
        String text = value.asText().strip();
        if (text.startsWith("{") || text.startsWith("[")) {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new Unreadable("the CloudTrail Lake column " + name + " is not JSON (" + abbreviated(text) + "): select"
                        + " json_format(CAST(" + name.toLowerCase(Locale.ROOT) + " AS JSON)) AS " + name
                        + ", or take the record from the trail's S3 log file or the event history instead");
            }
            if (MAP_COLUMNS.contains(name) && parsed instanceof ObjectNode map) {
                map.fields().forEachRemaining(entry -> {
                    if (!DOCUMENT.matcher(entry.getKey()).matches()) {
                        entry.setValue(fromText(entry.getValue()));
                    }
                });
            }
            return parsed;
        }
        if (name.equals("readOnly") || name.equals("managementEvent")) {
            return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(text));
        }
        return value;
    }

    /**
     * A value of a Lake {@code map<string,string>} column as the record had it: an object, a list or a boolean that
     * Lake kept as text is read back, so that a pattern on {@code deletionProtectionEnabled: [false]} judges it.
     * Numbers stay text (no pattern here reads one), and so do documents the API takes as JSON text ({@link #DOCUMENT}).
     */
    private static JsonNode fromText(JsonNode value) {
        String text = value.isTextual() ? value.asText().strip() : "";
        if (text.equals("true") || text.equals("false")) {
            return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(text));
        }
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return value;
            }
        }
        return value;
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
