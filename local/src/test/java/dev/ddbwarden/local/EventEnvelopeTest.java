package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./warden deliver}'s input: every CloudTrail sample in events/, handed over bare (as a trail's log file,
 * the event history, LookupEvents or CloudTrail Lake give it), is wrapped into the envelope the sample carries,
 * and reaches the same functions; EventBridge events pass as they are.
 */
class EventEnvelopeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EventRoutes routes;

    @BeforeAll
    static void load() throws Exception {
        routes = EventRoutes.of(Project.template());
    }

    static List<String> cloudTrailSamples() throws Exception {
        List<String> files = new ArrayList<>();
        for (String file : Project.eventFiles()) {
            if (JSON.readTree(Project.event(file)).path("detail-type").asText().endsWith("via CloudTrail")) {
                files.add(file);
            }
        }
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cloudTrailSamples")
    void bareRecord_shouldBeWrappedAsTheSample_andRouteAlike(String file) throws Exception {
        ObjectNode sample = (ObjectNode) JSON.readTree(Project.event(file));
        String record = sample.get("detail").toString();

        EventEnvelope.Recognised bare = EventEnvelope.recognise(record);

        assertThat(bare.form()).isEqualTo("CloudTrail record");
        ObjectNode expected = sample.deepCopy();
        expected.put("id", bare.event().path("id").asText());
        assertThat(bare.event()).as(file).isEqualTo(expected);
        assertThat(routes.rulesFor(bare.event().toString())).as(file).isEqualTo(routes.rulesFor(sample.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cloudTrailSamples")
    void everyFormARecordIsCopiedIn_shouldGiveTheSameEvent(String file) throws Exception {
        JsonNode record = JSON.readTree(Project.event(file)).get("detail");
        JsonNode bare = EventEnvelope.recognise(record.toString()).event();
        ObjectNode logFile = JSON.createObjectNode();
        logFile.putArray("Records").add(record);
        ObjectNode lookup = JSON.createObjectNode().put("EventId", record.path("eventID").asText())
                .put("CloudTrailEvent", record.toString());
        ObjectNode lookupOutput = JSON.createObjectNode();
        lookupOutput.putArray("Events").add(lookup);

        assertThat(EventEnvelope.recognise(logFile.toString()).event()).as("trail log file").isEqualTo(bare);
        assertThat(EventEnvelope.recognise(logFile.get("Records").toString()).event()).as("a list of one record").isEqualTo(bare);
        assertThat(EventEnvelope.recognise(lookup.toString()).event()).as("LookupEvents entry").isEqualTo(bare);
        assertThat(EventEnvelope.recognise(lookupOutput.toString()).event()).as("lookup-events output").isEqualTo(bare);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cloudTrailSamples")
    void cloudTrailLakeRow_shouldReachTheSameRules(String file) throws Exception {
        ObjectNode sample = (ObjectNode) JSON.readTree(Project.event(file));

        EventEnvelope.Recognised lake = EventEnvelope.recognise(lakeResult(sample.get("detail")).toString());

        assertThat(lake.form()).startsWith("CloudTrail Lake");
        assertThat(lake.event().path("time").asText()).isEqualTo(sample.path("time").asText());
        assertThat(routes.rulesFor(lake.event().toString())).as(file).isEqualTo(routes.rulesFor(sample.toString()));
    }

    @Test
    void cloudTrailLakeRow_shouldReadBackNestedValues_butKeepPolicyDocumentsAsText() throws Exception {
        JsonNode replica = JSON.readTree(Project.event("update-table-add-replica.json")).get("detail");
        JsonNode withPolicy = JSON.readTree(Project.event("create-table-with-policy.json")).get("detail");

        JsonNode replicaDetail = EventEnvelope.recognise(lakeResult(replica).toString()).event().get("detail");
        JsonNode policyDetail = EventEnvelope.recognise(lakeResult(withPolicy).toString()).event().get("detail");

        assertThat(replicaDetail.at("/requestParameters/replicaUpdates")).isEqualTo(replica.at("/requestParameters/replicaUpdates"));
        assertThat(replicaDetail.path("readOnly").isBoolean()).isTrue();
        assertThat(policyDetail.at("/requestParameters/resourcePolicy").isTextual()).isTrue();
        assertThat(policyDetail.at("/requestParameters/resourcePolicy")).isEqualTo(withPolicy.at("/requestParameters/resourcePolicy"));
    }

    /**
     * A GetQueryResults answer for the record's columns as CloudTrail Lake's schema types them (query-supported-event-
     * schemas): lower-case names, every value a string, eventTime as a Trino timestamp, structs selected as
     * json_format(CAST(... AS JSON)), and the map&lt;string,string&gt; columns' nested values as text.
     */
    private static ObjectNode lakeResult(JsonNode record) {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode row = result.putArray("QueryResultRows").addArray();
        record.fields().forEachRemaining(field -> {
            String column = field.getKey().toLowerCase(java.util.Locale.ROOT);
            JsonNode value = field.getValue();
            if (value.isNull()) {
                row.addObject().putNull(column);
            } else if (field.getKey().equals("eventTime")) {
                row.addObject().put(column, value.asText().replace("T", " ").replace("Z", ".000"));
            } else if (value.isObject() && List.of("requestParameters", "responseElements", "additionalEventData")
                    .contains(field.getKey())) {
                ObjectNode map = JSON.createObjectNode();
                value.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                        : e.getValue().toString()));
                row.addObject().put(column, map.toString());
            } else {
                row.addObject().put(column, value.isTextual() ? value.asText() : value.toString());
            }
        });
        return result;
    }

    @Test
    void backupRestoreEvent_shouldPassAsItIs() throws Exception {
        String event = Project.event("backup-restore-completed.json");

        EventEnvelope.Recognised recognised = EventEnvelope.recognise(event);

        assertThat(recognised.form()).isEqualTo("EventBridge event");
        assertThat(recognised.event()).isEqualTo(JSON.readTree(event));
    }

    @Test
    void id_shouldFollowTheRecordsEventId() throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(Project.event("create-table-unprotected.json")).get("detail");
        String first = EventEnvelope.recognise(record.toString()).event().path("id").asText();
        String again = EventEnvelope.recognise(record.toString()).event().path("id").asText();
        record.put("eventID", "11111111-2222-4333-8444-555555555555");
        String other = EventEnvelope.recognise(record.toString()).event().path("id").asText();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void serviceEventAndSignIn_shouldTakeTheirOwnDetailTypes() throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(Project.event("create-table-unprotected.json")).get("detail");
        record.put("eventType", "AwsServiceEvent");
        assertThat(EventEnvelope.wrap(record.deepCopy()).path("detail-type").asText()).isEqualTo("AWS Service Event via CloudTrail");
        record.put("eventType", "AwsConsoleSignIn").put("eventSource", "signin.amazonaws.com");
        JsonNode signIn = EventEnvelope.wrap(record.deepCopy());
        assertThat(signIn.path("detail-type").asText()).isEqualTo("AWS Console Sign In via CloudTrail");
        assertThat(signIn.path("source").asText()).isEqualTo("aws.signin");
    }

    @Test
    void unreadableInput_shouldSayWhy() throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(Project.event("create-table-unprotected.json")).get("detail");
        ObjectNode twoRecords = JSON.createObjectNode();
        twoRecords.putArray("Records").add(record).add(record);
        ObjectNode noRegion = record.deepCopy();
        noRegion.remove("awsRegion");
        ObjectNode insightless = record.deepCopy().put("eventType", "AwsVpceEvent");
        ArrayNode lakeRow = JSON.createArrayNode();
        lakeRow.addObject().put("eventsource", "dynamodb.amazonaws.com");
        lakeRow.addObject().put("requestparameters", "{tablename=orders, deletionprotectionenabled=false}");

        assertThatThrownBy(() -> EventEnvelope.recognise("{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> EventEnvelope.recognise(twoRecords.toString())).hasMessageContaining("Records holds 2");
        assertThatThrownBy(() -> EventEnvelope.recognise(noRegion.toString())).hasMessageContaining("no awsRegion");
        assertThatThrownBy(() -> EventEnvelope.recognise(insightless.toString())).hasMessageContaining("AwsVpceEvent");
        assertThatThrownBy(() -> EventEnvelope.recognise(lakeRow.toString()))
                .hasMessageContaining("requestParameters is not JSON");
        assertThatThrownBy(() -> EventEnvelope.recognise("{\"hello\": 1}")).hasMessageContaining("neither");
    }
}
