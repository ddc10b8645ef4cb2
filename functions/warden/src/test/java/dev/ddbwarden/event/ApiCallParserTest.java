package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static dev.ddbwarden.TestEvents.ACCOUNT;
import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.event;
import static dev.ddbwarden.TestEvents.sample;
import static dev.ddbwarden.TestEvents.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class ApiCallParserTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** CreateTable of orders by the developer role's session alice, as events/ has it. */
    private static final String CREATE_TABLE = "create-table-unprotected.json";
    private static final String CREATE_TABLE_EVENT_ID = "5235bf01-2899-4e1d-a14f-99002a60e0c2";

    private static String rejection(JsonNode event) {
        Parsed parsed = ApiCallParser.parse(event);
        assertThat(parsed).isInstanceOf(Parsed.Rejected.class);
        return ((Parsed.Rejected) parsed).reason();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "42", "null", "true"})
    void parse_shouldReject_whenEventIsNotAnObject(String json) {
        assertThat(rejection(tree(json))).isEqualTo("the event is not a JSON object");
    }

    @Test
    void parse_shouldReject_whenEventIsJavaNull() {
        assertThat(rejection(null)).isEqualTo("the event is not a JSON object");
    }

    @Test
    void parse_shouldReject_whenDetailTypeIsNotCloudTrail() {
        // GIVEN
        ObjectNode event = sample(CREATE_TABLE);
        event.put("detail-type", "Object Created");

        // WHEN / THEN
        assertThat(rejection(event)).contains("detail-type is 'Object Created'");
    }

    @Test
    void parse_shouldReject_whenDetailIsMissingOrNotAnObject() {
        ObjectNode missing = sample(CREATE_TABLE);
        missing.remove("detail");
        ObjectNode text = sample(CREATE_TABLE);
        text.put("detail", "{}");

        assertThat(rejection(missing)).contains("no CloudTrail record");
        assertThat(rejection(text)).contains("no CloudTrail record");
    }

    @Test
    void parse_shouldReject_whenEventIdIsMissingOrOverlong() {
        ObjectNode missing = sample(CREATE_TABLE);
        detail(missing).remove("eventID");
        ObjectNode overlong = sample(CREATE_TABLE);
        detail(overlong).put("eventID", "x".repeat(129));
        ObjectNode longest = sample(CREATE_TABLE);
        detail(longest).put("eventID", "x".repeat(128));

        assertThat(rejection(missing)).contains("eventID");
        assertThat(rejection(overlong)).contains("eventID");
        assertThat(TestEvents.call(longest).eventId()).hasSize(128);
    }

    @Test
    void parse_shouldReject_whenEventNameIsMissingOrNotAString() {
        ObjectNode missing = sample(CREATE_TABLE);
        detail(missing).remove("eventName");
        ObjectNode number = sample(CREATE_TABLE);
        detail(number).put("eventName", 7);

        assertThat(rejection(missing)).contains("eventName");
        assertThat(rejection(number)).contains("eventName");
    }

    @Test
    void parse_shouldReject_whenRegionIsNotARegionName() {
        // GIVEN a bad region in the record and in the envelope
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("awsRegion", "Europe");
        event.put("region", "Europe");

        // WHEN / THEN
        assertThat(rejection(event)).contains("awsRegion 'Europe'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-north-9"})
    void parse_shouldAcceptRegion_whenTheSdkKnowsIt_orAPartitionWouldNameIt(String region) {
        // GIVEN a region that exists, and one AWS may launch after this SDK
        ObjectNode event = TestEvents.inRegion(sample(CREATE_TABLE), region);

        // WHEN / THEN
        assertThat(TestEvents.call(event).region()).isEqualTo(region);
    }

    /** A forged or damaged record's region would have the handler build a client for nowhere, on every retry. */
    @ParameterizedTest
    @ValueSource(strings = {"xx-fake-9", "us-east-1 ", "US-EAST-1", "us-east-1\u0000"})
    void parse_shouldReject_namingTheRegion_whenItCannotBeReal(String region) {
        ObjectNode event = TestEvents.inRegion(sample(CREATE_TABLE), region);

        assertThat(rejection(event)).startsWith("detail.awsRegion " + Excerpt.quoted(region) + " is not an AWS region");
    }

    @Test
    void parse_shouldReject_inOneShortLine_whenTheRegionHas2000Characters() {
        String region = "us-" + "a".repeat(1_995) + "-1";

        String reason = rejection(TestEvents.inRegion(sample(CREATE_TABLE), region));

        assertThat(reason).startsWith("detail.awsRegion 'us-aaa").contains("is not an AWS region").hasSizeLessThan(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resources", "requestParameters", "responseElements"})
    void parse_shouldReject_whenTheRecordNamesATableArnInARegionThatCannotBeReal(String where) {
        // GIVEN a PutResourcePolicy whose table ARN is in a region that does not exist
        String arn = "arn:aws:dynamodb:xx-fake-9:123456789012:table/orders";
        ObjectNode event = TestEvents.putResourcePolicy("arn:aws:dynamodb:us-east-1:123456789012:table/orders", "{}", "1");
        switch (where) {
            case "resources" -> {
                TestEvents.request(event).remove("resourceArn");
                detail(event).putArray("resources").addObject().put("ARN", arn);
            }
            case "requestParameters" -> TestEvents.request(event).put("resourceArn", arn);
            default -> {
                TestEvents.request(event).remove("resourceArn");
                detail(event).putObject("responseElements").putObject("tableDescription").put("tableArn", arn);
            }
        }

        // WHEN / THEN
        assertThat(rejection(event)).isEqualTo("the table ARN '" + arn + "' names region 'xx-fake-9', which is not an AWS region");
    }

    @Test
    void parse_shouldAccept_whenTheRecordNamesATableArnInAFutureRegion() {
        ObjectNode event = TestEvents.putResourcePolicy("arn:aws:dynamodb:eu-north-9:123456789012:table/orders", "{}", "1");

        assertThat(ApiCallParser.parse(event)).isInstanceOf(Parsed.Call.class);
    }

    @Test
    void parse_shouldReject_whenAReplicaRegionCannotBeReal() {
        assertThat(rejection(TestEvents.addReplicas("orders", "eu-west-1", "xx-fake-9")))
                .isEqualTo("requestParameters.replicaUpdates names replica region 'xx-fake-9', which is not an AWS region");
        assertThat(rejection(TestEvents.createGlobalTable("orders", "US-EAST-1")))
                .isEqualTo("requestParameters.replicationGroup names replica region 'US-EAST-1', which is not an AWS region");
        ObjectNode delete = event("UpdateTable", "orders");
        TestEvents.request(delete).putArray("replicaUpdates").addObject().putObject("delete").put("regionName", "eu-west-1 ");
        assertThat(rejection(delete)).contains("replica region 'eu-west-1 '");
    }

    @Test
    void parse_shouldAccept_whenReplicaRegionsAreRealOrFuture() {
        assertThat(ApiCallParser.parse(sample("update-table-add-replica.json"))).isInstanceOf(Parsed.Call.class);
        assertThat(ApiCallParser.parse(sample("update-global-table.json"))).isInstanceOf(Parsed.Call.class);
        assertThat(ApiCallParser.parse(sample("create-global-table.json"))).isInstanceOf(Parsed.Call.class);
        assertThat(ApiCallParser.parse(TestEvents.addReplicas("orders", "eu-west-1", "eu-north-9")))
                .isInstanceOf(Parsed.Call.class);
    }

    @Test
    void parse_shouldReject_whenAccountIsNotTwelveDigits() {
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("recipientAccountId", "12345678901");

        assertThat(rejection(event)).contains("account ID");
    }

    @Test
    void parse_shouldReadFieldsAsAbsent_whenTheyHaveTheWrongType() {
        // GIVEN userIdentity as a string, requestParameters as an array, resources as an object
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("userIdentity", "arn:aws:iam::123456789012:root");
        detail(event).set("requestParameters", NODES.arrayNode().add("orders"));
        detail(event).set("resources", NODES.objectNode().put("ARN", "arn:aws:dynamodb:us-east-1:123456789012:table/x"));
        detail(event).put("sourceIPAddress", 12);

        // WHEN
        ApiCall call = TestEvents.call(event);

        // THEN the call is kept, with those fields read as absent
        assertThat(call.actor()).isEqualTo(Actor.UNKNOWN);
        assertThat(call.requestParameters().isObject()).isTrue();
        assertThat(call.requestParameters().size()).isZero();
        assertThat(call.resourceArns()).isEmpty();
        assertThat(call.sourceIp()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"userIdentity", "requestParameters", "responseElements", "resources", "eventTime",
            "awsRegion", "recipientAccountId", "errorCode", "eventSource"})
    void parse_shouldNeverThrow_whenAnyFieldHasAnyType(String field) {
        for (JsonNode value : new JsonNode[]{NODES.nullNode(), NODES.numberNode(1), NODES.arrayNode().add(1),
                NODES.objectNode().put("a", 1), NODES.textNode("")}) {
            ObjectNode event = sample(CREATE_TABLE);
            detail(event).set(field, value);
            assertThatCode(() -> ApiCallParser.parse(event)).as("%s = %s", field, value).doesNotThrowAnyException();
        }
    }

    @Test
    void parse_shouldReadEveryField_whenRecordIsComplete() {
        // GIVEN the sample, with a resource ARN and an empty resource as CloudTrail may add them
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).set("resources", tree("[{\"ARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\"},{}]"));

        // WHEN
        ApiCall call = TestEvents.call(event);

        // THEN
        assertThat(call.eventId()).isEqualTo(CREATE_TABLE_EVENT_ID);
        assertThat(call.eventName()).isEqualTo("CreateTable");
        assertThat(call.eventSource()).isEqualTo("dynamodb.amazonaws.com");
        assertThat(call.eventTime()).contains(Instant.parse("2024-05-14T09:12:03Z"));
        assertThat(call.region()).isEqualTo("us-east-1");
        assertThat(call.accountId()).isEqualTo(ACCOUNT);
        assertThat(call.sourceIp()).isEqualTo("203.0.113.10");
        assertThat(call.userAgent()).isEqualTo("aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 command/dynamodb.create-table");
        assertThat(call.request("tableName")).isEqualTo("orders");
        assertThat(call.responseElements().path("tableDescription").path("tableStatus").asText()).isEqualTo("CREATING");
        assertThat(call.resourceArns()).containsExactly("arn:aws:dynamodb:us-east-1:123456789012:table/orders");
        assertThat(call.actor().principalArn()).isEqualTo("arn:aws:iam::123456789012:role/developer");
        assertThat(call.failed()).isFalse();
    }

    @Test
    void parse_shouldUseSessionIssuerAsPrincipal_whenActorIsAssumedRole() {
        ApiCall call = TestEvents.call(sample("update-table-approved-decommission.json"));

        assertThat(call.actor().type()).isEqualTo("AssumedRole");
        assertThat(call.actor().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/dba-decommission/bob");
        assertThat(call.actor().principalArn()).isEqualTo("arn:aws:iam::123456789012:role/dba-decommission");
        assertThat(call.actor().describe()).isEqualTo("arn:aws:sts::123456789012:assumed-role/dba-decommission/bob"
                + " (AssumedRole of arn:aws:iam::123456789012:role/dba-decommission)");
    }

    @Test
    void parse_shouldUseOwnArn_whenActorIsIamUser() {
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).set("userIdentity", tree("""
                {"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::123456789012:user/alice",
                 "accountId":"123456789012","userName":"alice"}"""));

        Actor actor = TestEvents.call(event).actor();

        assertThat(actor.principalArn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
        assertThat(actor.userName()).isEqualTo("alice");
        assertThat(actor.sessionIssuerArn()).isEmpty();
    }

    @Test
    void parse_shouldReadRoot_whenThereIsNoSessionContext() {
        Actor actor = TestEvents.call(sample("create-table-root.json")).actor();

        assertThat(actor.type()).isEqualTo("Root");
        assertThat(actor.principalArn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(actor.describe()).isEqualTo("arn:aws:iam::123456789012:root (Root)");
    }

    @Test
    void parse_shouldDescribeServiceByInvokedBy_whenActorHasNoArn() {
        ObjectNode event = event("RestoreTableFromBackup", "orders");
        detail(event).set("userIdentity", tree("{\"type\":\"AWSService\",\"invokedBy\":\"backup.amazonaws.com\"}"));

        Actor actor = TestEvents.call(event).actor();

        assertThat(actor.arn()).isEmpty();
        assertThat(actor.principalArn()).isEmpty();
        assertThat(actor.invokedBy()).isEqualTo("backup.amazonaws.com");
        assertThat(actor.describe()).isEqualTo("backup.amazonaws.com (AWSService)");
    }

    @Test
    void parse_shouldFallBackToEnvelope_whenRecordLacksRegionAccountAndTime() {
        // GIVEN
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).remove(java.util.List.of("awsRegion", "recipientAccountId", "eventTime"));
        event.put("region", "eu-west-1").put("account", "210987654321").put("time", "2024-06-01T00:00:00Z");

        // WHEN
        ApiCall call = TestEvents.call(event);

        // THEN
        assertThat(call.region()).isEqualTo("eu-west-1");
        assertThat(call.accountId()).isEqualTo("210987654321");
        assertThat(call.eventTime()).contains(Instant.parse("2024-06-01T00:00:00Z"));
    }

    @Test
    void parse_shouldPreferRecordOverEnvelope_whenBothNameARegion() {
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("awsRegion", "eu-central-1");

        assertThat(TestEvents.call(event).region()).isEqualTo("eu-central-1");
    }

    @Test
    void parse_shouldReadEventTime_whenOffsetHasNoColon() {
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("eventTime", "2017-10-10T23:01:45+0000");

        assertThat(TestEvents.call(event).eventTime()).contains(Instant.parse("2017-10-10T23:01:45Z"));
    }

    @Test
    void parse_shouldUseEnvelopeTime_whenEventTimeIsUnreadable() {
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("eventTime", "yesterday");
        event.put("time", "2024-06-01T00:00:07Z");

        assertThat(TestEvents.call(event).eventTime()).contains(Instant.parse("2024-06-01T00:00:07Z"));
    }

    @Test
    void parse_shouldLeaveTimeUnknown_whenNeitherRecordNorEnvelopeNamesOne() {
        ObjectNode event = sample(CREATE_TABLE);
        detail(event).put("eventTime", "yesterday");
        event.put("time", "2024-06-01 00:00:07");

        ApiCall call = TestEvents.call(event);

        assertThat(call.eventTime()).isEmpty();
        assertThat(call.eventId()).isEqualTo(CREATE_TABLE_EVENT_ID);
    }

    @Test
    void parse_shouldMarkCallFailed_whenRecordHasErrorCode() {
        ApiCall call = TestEvents.call(sample("create-table-failed.json"));

        assertThat(call.failed()).isTrue();
        assertThat(call.errorCode()).isEqualTo("ResourceInUseException");
    }

    @Test
    void aDeliveredRecordNamedSweep_shouldNeverBeTakenForTheSweepsOwnCall() {
        ApiCall forged = TestEvents.call(event(ApiCall.SWEEP, "orders"));
        ApiCall sweep = ApiCall.sweep("s1", "us-east-1", ACCOUNT, "orders", Instant.EPOCH);

        assertThat(forged.eventName()).isEqualTo(sweep.eventName());
        assertThat(forged.isSweep()).isFalse();
        assertThat(sweep.isSweep()).isTrue();
    }
}
