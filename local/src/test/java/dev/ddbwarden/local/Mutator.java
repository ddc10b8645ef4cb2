package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Hostile variations of the sample events, from a seeded generator so that a failure can be rerun: fields
 * deleted, retyped and duplicated, nesting as deep as EventBridge's 256 KB allows, huge strings, Unicode
 * and maximal-length table names, unknown event names, the wrong detail-type, hostile policies, tables
 * named in several places at once, broken JSON, and re-check messages carrying any of these. Every mutant
 * fits EventBridge's limit.
 */
final class Mutator {
    /** EventBridge refuses events over 256 KB. */
    static final int EVENTBRIDGE_LIMIT = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] EVENT_NAMES = {"DescribeTable", "", "createtable", "CreateTable ", "CreateTable\u0000",
        "PutItem", "DeleteBackup", "TagResource", "UntagResource", "Create\uD83D\uDE00Table", "X".repeat(129),
        "UpdateTable\n", "DeleteTable", "PutResourcePolicy", "CreateTable", "UpdateTable", "ImportTable",
        "RestoreTableToPointInTime", "ExportTableToPointInTime", "StopLogging", "DeleteRule", "UpdateFunctionCode"};
    private static final String[] DETAIL_TYPES = {"AWS Console Sign In via CloudTrail", "", "aws api call via cloudtrail",
        "AWS API Call via CloudTrail ", "AWS Service Event via CloudTrail", "Scheduled Event", "\u0000"};
    private static final String[] UNICODE_NAMES = {"ördérs", "表格", "🔥🔥🔥", "\u202Eorders", "orders\u0000", "ord\u200Bers",
        "orde\u0301rs", "\uD800orders", "orders\uDFFF", "ＯＲＤＥＲＳ", "o", "..", "a/b", "orders/../payments", " orders",
        "arn:aws:dynamodb:us-east-1:123456789012:table/ördérs", "arn:aws:dynamodb:us-east-1:123456789012:table/"};
    private static final String[] REGIONS = {"us-west-2", "eu-west-1", "ap-southeast-2", "sa-east-1", "", "us-east-1 ",
        "xx-fake-9", "US-EAST-1", "cn-north-1", "us-gov-west-1", "us-east-1\u0000"};
    private static final String[] ACCOUNTS = {"999988887777", "", "12345678901", "1234567890123", "abcdefghijkl", "000000000000",
        "123456789012 "};

    private final Random random;
    private final List<String> bases;
    private final List<String> tableNames;
    private final List<String> longNames;

    /**
     * @param bases      the sample events mutants start from
     * @param tableNames tables that exist, for mutants that name them in several places
     * @param longNames  tables with 255-character names that exist
     */
    Mutator(long seed, List<String> bases, List<String> tableNames, List<String> longNames) {
        this.random = new Random(seed);
        this.bases = bases;
        this.tableNames = tableNames;
        this.longNames = longNames;
    }

    private final java.util.Deque<String> first = new java.util.ArrayDeque<>();

    /** Mutants to hand out before any generated one, so that every run, however small, meets them. */
    Mutator first(List<String> events) {
        first.addAll(events);
        return this;
    }

    /**
     * Hostile events every run includes: a sample whose actor's ARN fills what EventBridge allows, for the
     * samples given (a ledger entry and an alert quote the actor).
     */
    static List<String> oversizedActors(List<String> samples) {
        List<String> events = new ArrayList<>();
        for (String sample : samples) {
            try {
                ObjectNode event = (ObjectNode) JSON.readTree(sample);
                ObjectNode identity = (ObjectNode) event.path("detail").path("userIdentity");
                int room = EVENTBRIDGE_LIMIT - sample.length() - 1_024;
                identity.put("arn", "arn:aws:sts::123456789012:assumed-role/developer/" + "x".repeat(room));
                ((ObjectNode) event.get("detail")).put("eventID", "oversized-actor-" + events.size());
                events.add(event.toString());
            } catch (Exception e) {
                throw new IllegalStateException("a sample event does not parse", e);
            }
        }
        return events;
    }

    /** The next mutant: a JSON text (or not quite), at most 256 KB. */
    String next() {
        if (!first.isEmpty()) {
            return first.poll();
        }
        for (int tries = 0; tries < 20; tries++) {
            String mutant = mutant();
            if (mutant.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= EVENTBRIDGE_LIMIT) {
                return mutant;
            }
        }
        return "{}";
    }

    private String mutant() {
        ObjectNode event;
        try {
            event = (ObjectNode) JSON.readTree(bases.get(random.nextInt(bases.size())));
        } catch (Exception e) {
            throw new IllegalStateException("a sample event does not parse", e);
        }
        // A fresh event ID, so that the ledger does not turn every mutant of a sample into a replay of the first.
        event.put("id", uuid());
        if (event.path("detail").isObject()) {
            ((ObjectNode) event.get("detail")).put("eventID", uuid());
        }
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutateTree(event);
        }
        String text = event.toString();
        if (random.nextInt(4) == 0) {
            text = mutateText(text);
        }
        if (random.nextInt(12) == 0) {
            text = asRecheck(text);
        }
        return text;
    }

    private void mutateTree(ObjectNode event) {
        ObjectNode detail = event.path("detail").isObject() ? (ObjectNode) event.get("detail") : event;
        switch (random.nextInt(13)) {
            case 0 -> delete(event);
            case 1 -> retype(event);
            case 2 -> duplicateSubtree(event);
            case 3 -> hugeString(event);
            case 4 -> tableName(detail, UNICODE_NAMES[random.nextInt(UNICODE_NAMES.length)]);
            case 5 -> tableName(detail, maximalName());
            case 6 -> detail.put("eventName", EVENT_NAMES[random.nextInt(EVENT_NAMES.length)]);
            case 7 -> {
                if (random.nextBoolean()) {
                    event.put("detail-type", DETAIL_TYPES[random.nextInt(DETAIL_TYPES.length)]);
                } else {
                    event.put("source", random.nextBoolean() ? "aws.s3" : "");
                }
            }
            case 8 -> hostilePolicy(detail);
            case 9 -> crossNames(detail);
            case 10 -> {
                if (random.nextBoolean()) {
                    detail.put("awsRegion", REGIONS[random.nextInt(REGIONS.length)]);
                } else {
                    detail.put("recipientAccountId", ACCOUNTS[random.nextInt(ACCOUNTS.length)]);
                }
            }
            case 11 -> detail.put("errorCode", random.nextBoolean() ? "AccessDenied" : "");
            default -> identity(detail);
        }
    }

    /** Removes a field or an element anywhere in the event. */
    private void delete(ObjectNode event) {
        Slot slot = pick(event);
        if (slot != null) {
            slot.remove();
        }
    }

    /** Gives a field anywhere a value of another type. */
    private void retype(ObjectNode event) {
        Slot slot = pick(event);
        if (slot != null) {
            slot.set(randomValue(3));
        }
    }

    /** Copies a subtree into another object: a table named twice, a request where a response should be. */
    private void duplicateSubtree(ObjectNode event) {
        Slot from = pick(event);
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(event, objects);
        if (from != null && !objects.isEmpty()) {
            ObjectNode into = objects.get(random.nextInt(objects.size()));
            String key = random.nextBoolean() && from.key != null ? from.key : "tableName";
            into.set(key, from.value().deepCopy());
        }
    }

    private void hugeString(ObjectNode event) {
        int size = 1_000 + random.nextInt(EVENTBRIDGE_LIMIT - event.toString().length() - 2_000 > 1_000
                ? EVENTBRIDGE_LIMIT - event.toString().length() - 2_000 : 1_000);
        StringBuilder text = new StringBuilder(size);
        int alphabet = random.nextInt(4);
        while (text.length() < size) {
            switch (alphabet) {
                case 0 -> text.append((char) ('a' + random.nextInt(26)));
                case 1 -> text.append("\u00e9\u8868\uD83D\uDD25".charAt(random.nextInt(3)));
                case 2 -> text.append((char) random.nextInt(32));
                default -> text.append("\"\\{}[]:,");
            }
        }
        Slot slot = pick(event);
        if (slot != null) {
            slot.set(TextNode.valueOf(text.toString()));
        }
    }

    /** Names a table where each event kind would look for it. */
    private void tableName(ObjectNode detail, String name) {
        ObjectNode request = detail.path("requestParameters").isObject() ? (ObjectNode) detail.get("requestParameters")
                : detail.putObject("requestParameters");
        switch (random.nextInt(5)) {
            case 0 -> request.put("tableName", name);
            case 1 -> request.put("resourceArn", name.startsWith("arn:") ? name : "arn:aws:dynamodb:us-east-1:123456789012:table/" + name);
            case 2 -> request.put("targetTableName", name);
            case 3 -> detail.putArray("resources").addObject().put("ARN", "arn:aws:dynamodb:us-east-1:123456789012:table/" + name);
            default -> request.putObject("tableCreationParameters").put("tableName", name);
        }
    }

    private String maximalName() {
        if (!longNames.isEmpty() && random.nextBoolean()) {
            return longNames.get(random.nextInt(longNames.size()));
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
        int length = random.nextBoolean() ? 255 : 256;
        StringBuilder name = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            name.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return name.toString();
    }

    /** A policy no one should have written: huge, broken, deep, of the wrong type, or granting the world. */
    private void hostilePolicy(ObjectNode detail) {
        if (random.nextBoolean()) {
            detail.put("eventName", "PutResourcePolicy");
        }
        ObjectNode request = detail.path("requestParameters").isObject() ? (ObjectNode) detail.get("requestParameters")
                : detail.putObject("requestParameters");
        String table = tableNames.get(random.nextInt(tableNames.size()));
        String arn = "arn:aws:dynamodb:us-east-1:123456789012:table/" + table;
        if (!request.has("resourceArn") || random.nextInt(3) == 0) {
            request.put("resourceArn", arn);
        }
        switch (random.nextInt(9)) {
            case 0 -> {
                StringBuilder statements = new StringBuilder();
                int count = 1 + random.nextInt(2_000);
                for (int i = 0; i < count; i++) {
                    statements.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i)
                            .append("\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"dynamodb:*\",\"Resource\":\"")
                            .append(arn).append("\"}");
                }
                request.put("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}");
            }
            case 1 -> request.put("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":");
            case 2 -> request.put("policy", "[".repeat(5_000) + "]".repeat(5_000));
            case 3 -> request.set("policy", randomValue(4));
            case 4 -> request.put("policy", "{\"Statement\":{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"" + arn
                    + "\"},\"Action\":\"*\",\"Resource\":\"*\"}}");
            case 5 -> request.put("policy", "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[" + "1,".repeat(1_000)
                    + "null]},\"Action\":[\"dynamodb:GetItem\"],\"Resource\":[\"arn:aws:dynamodb:*:*:table/*\"],"
                    + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":{\"x\":[{}]}}}}]}");
            case 6 -> request.put("policy", "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"dynamodb:*\","
                    + "\"Resource\":\"arn:aws:dynamodb:us-east-1:123456789012:table/" + tableNames.get(random.nextInt(tableNames.size()))
                    + "\"}]}");
            case 7 -> request.put("policy", "\uFEFF{\"Statement\": /* comment */ []}");
            default -> request.remove("policy");
        }
        if (detail.path("responseElements").isObject()) {
            ((ObjectNode) detail.get("responseElements")).put("revisionId", String.valueOf(random.nextLong()));
        } else if (random.nextBoolean()) {
            detail.putObject("responseElements").put("revisionId", String.valueOf(random.nextLong()));
        }
    }

    /** The request names one table, the response and resources others: each is named by the event. */
    private void crossNames(ObjectNode detail) {
        String other = tableNames.get(random.nextInt(tableNames.size()));
        String arn = "arn:aws:dynamodb:us-east-1:123456789012:table/" + other;
        switch (random.nextInt(3)) {
            case 0 -> detail.putArray("resources").addObject().put("ARN", arn).put("type", "AWS::DynamoDB::Table");
            case 1 -> detail.putObject("responseElements").putObject("tableDescription").put("tableArn", arn).put("tableName", other);
            default -> {
                if (detail.path("requestParameters").isObject()) {
                    ((ObjectNode) detail.get("requestParameters")).remove("tableName");
                }
                detail.putObject("responseElements").putObject("tableDescription").put("tableName", other);
            }
        }
    }

    private void identity(ObjectNode detail) {
        switch (random.nextInt(4)) {
            case 0 -> detail.put("userIdentity", "root");
            case 1 -> detail.putObject("userIdentity").put("type", "AssumedRole")
                    .putObject("sessionContext").putObject("sessionIssuer").put("arn", FaultsWorld.APPROVED_ROLE);
            case 2 -> detail.putObject("userIdentity").set("arn", randomValue(2));
            default -> detail.remove("userIdentity");
        }
    }

    /** Text-level damage that a tree cannot express. */
    private String mutateText(String text) {
        switch (random.nextInt(6)) {
            case 0 -> {
                // Nesting as deep as the size limit allows, in place of a value.
                int room = EVENTBRIDGE_LIMIT - text.length() - 64;
                int[] depths = {50, 500, 999, 1_000, 1_001, 2_000, 20_000, Math.max(1, room / 2)};
                int depth = Math.min(depths[random.nextInt(depths.length)], Math.max(1, room / 2));
                boolean arrays = random.nextBoolean();
                String nested = arrays ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth / 3) + "1" + "}".repeat(depth / 3);
                int at = text.indexOf("\"requestParameters\":");
                if (at < 0) {
                    return text.substring(0, text.length() - 1) + ",\"deep\":" + nested + "}";
                }
                return text.substring(0, at) + "\"requestParameters\":" + nested + ",\"requestParameters0\":" + text.substring(at + 20);
            }
            case 1 -> {
                // A key twice in one object: parsers disagree on which one wins.
                int at = text.indexOf("\"detail\":{");
                String duplicate = random.nextBoolean() ? "\"eventName\":\"DeleteTable\"," : "\"requestParameters\":{\"tableName\":\"payments\"},";
                return at < 0 ? text : text.substring(0, at + 10) + duplicate + text.substring(at + 10)
                        + (random.nextBoolean() ? "" : "");
            }
            case 2 -> {
                return text.substring(0, random.nextInt(Math.max(1, text.length())));
            }
            case 3 -> {
                String[] garbage = {"", "null", "[]", "42", "\"a string\"", "{", "}", "\uFEFF{}", "{\"a\":1}{\"b\":2}",
                    "{\"detail-type\": \"AWS API Call via CloudTrail\", \"detail\": 7}", "1e999999", "-".repeat(2_000),
                    "{\"n\":" + "9".repeat(1_500) + "}", "\u0000\u0001\u0002", "{'single': 'quotes'}", "{\"a\":NaN}"};
                return garbage[random.nextInt(garbage.length)];
            }
            case 4 -> {
                return text.replace("\"eventName\":\"", "\"eventName\" : \"\\u0000");
            }
            default -> {
                return "[" + text + "," + text + "]";
            }
        }
    }

    /** The event inside a re-check message, as the re-check queue delivers it, with an attempt of any shape. */
    private String asRecheck(String text) {
        ObjectNode body = NODES.objectNode();
        switch (random.nextInt(5)) {
            case 0 -> body.put("attempt", random.nextInt(200) - 50);
            case 1 -> body.put("attempt", "3");
            case 2 -> body.put("attempt", Long.MAX_VALUE);
            case 3 -> body.putNull("attempt");
            default -> body.put("attempt", 1.5);
        }
        try {
            body.set("event", JSON.readTree(text));
        } catch (Exception e) {
            body.put("event", text);
        }
        ObjectNode records = NODES.objectNode();
        ArrayNode list = records.putArray("Records");
        list.addObject().put("messageId", uuid()).put("body", random.nextInt(5) == 0 ? text : body.toString());
        if (random.nextBoolean()) {
            list.addObject().put("body", 12);
        }
        return records.toString();
    }

    private JsonNode randomValue(int depth) {
        switch (random.nextInt(depth <= 0 ? 6 : 9)) {
            case 0 -> {
                return NODES.numberNode(random.nextLong());
            }
            case 1 -> {
                return NODES.numberNode(random.nextDouble() * 1e300);
            }
            case 2 -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            case 3 -> {
                return NODES.nullNode();
            }
            case 4 -> {
                return NODES.textNode(random.nextBoolean() ? "" : UNICODE_NAMES[random.nextInt(UNICODE_NAMES.length)]);
            }
            case 5 -> {
                return NODES.numberNode(new java.math.BigInteger(200, random));
            }
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.add(randomValue(depth - 1));
                }
                return array;
            }
            case 7 -> {
                ObjectNode object = NODES.objectNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    object.set(random.nextBoolean() ? "tableName" : "k" + i, randomValue(depth - 1));
                }
                return object;
            }
            default -> {
                return NODES.textNode(tableNames.get(random.nextInt(tableNames.size())));
            }
        }
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** A place in the tree: a field of an object or an element of an array. */
    private record Slot(JsonNode parent, String key, int index) {
        JsonNode value() {
            return key != null ? parent.get(key) : parent.get(index);
        }

        void remove() {
            if (key != null) {
                ((ObjectNode) parent).remove(key);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }

        void set(JsonNode value) {
            if (key != null) {
                ((ObjectNode) parent).set(key, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }
    }

    private Slot pick(JsonNode root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        return slots.isEmpty() ? null : slots.get(random.nextInt(slots.size()));
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                slots.add(new Slot(node, name, -1));
                collect(node.get(name), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node.isObject()) {
            objects.add((ObjectNode) node);
            node.elements().forEachRemaining(child -> collectObjects(child, objects));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectObjects(child, objects));
        }
    }
}
