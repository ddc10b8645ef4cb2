package dev.ddbwarden.ledger;

import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.event.Excerpt;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The ledger as a DynamoDB table keyed by {@code eventId} (hash) and {@code subject} (range). */
public final class DynamoLedger implements Ledger {
    static final String EVENT_ID = "eventId";
    static final String SUBJECT = "subject";
    private static final String LEASE_UNTIL = "leaseUntil";
    /**
     * Five long texts at most per item (finding, states before and after, alert body, subject), with the alert's facts
     * (about 20 KB at most, {@link FactsAttribute}): under 400 KB.
     */
    private static final int MAX_TEXT_BYTES = 70_000;
    private static final String CUT_NOTE = " [cut: too long for the ledger]";
    private static final String CLAIM_UNTIL = "claimUntil";
    /** Breaker counts live in the ledger table too, under keys no CloudTrail event ID can take. */
    private static final String BREAKER = "breaker#";
    private static final String SWEEP = "sweep#";
    /** ddb-warden's decisions to keep away from a table, one item per kind and table. */
    private static final String HOLD = "hold#";
    /** Fix slots a sweep has taken under its cap; kept apart from the counts the summary reports. */
    private static final String RESERVED = "reservedFixes";
    /** Present, per account, once a sweep has walked a region of it to the end: later sweeps may fix there. */
    private static final String SWEPT = SWEEP + "installation";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final TableMemory memory;

    public DynamoLedger(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.memory = new DynamoTableMemory(dynamo, table);
    }

    @Override
    public Optional<LedgerEntry> find(LedgerKey key) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(keyOf(key)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(entry(key, item));
    }

    @Override
    public boolean open(LedgerEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>(keyOf(entry.key()));
        put(item, "rule", entry.rule());
        put(item, "tableArn", entry.tableArn());
        put(item, "eventName", entry.eventName());
        put(item, "actor", entry.actor());
        put(item, "severity", entry.severity());
        put(item, "finding", entry.finding());
        put(item, "stateBefore", entry.stateBefore());
        put(item, "stateAfter", entry.stateAfter());
        put(item, "action", entry.action());
        put(item, "status", entry.status().name());
        put(item, "alertStatus", entry.alertStatus().name());
        put(item, "recordedAt", entry.recordedAt().toString());
        item.put(LEASE_UNTIL, epoch(entry.leaseUntil()));
        entry.alert().ifPresent(alert -> item.putAll(alertAttributes(alert)));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(#e)")
                    .expressionAttributeNames(Map.of("#e", EVENT_ID)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void close(LedgerKey key, String action, String stateAfter, Alert alert) {
        close(key, action, stateAfter, alert, LedgerEntry.AlertStatus.PENDING);
    }

    @Override
    public void closeWithoutAlert(LedgerKey key, String action, String stateAfter, Alert alert) {
        close(key, action, stateAfter, alert, LedgerEntry.AlertStatus.NONE);
    }

    private void close(LedgerKey key, String action, String stateAfter, Alert alert, LedgerEntry.AlertStatus status) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":action", s(action));
        values.put(":after", s(stateAfter));
        values.put(":done", s(LedgerEntry.Status.DONE.name()));
        values.put(":pending", s(status.name()));
        values.put(":at", s(Instant.now(clock).toString()));
        Map<String, AttributeValue> alertValues = alertAttributes(alert);
        values.put(":subject", alertValues.get("alertSubject"));
        values.put(":body", alertValues.get("alertBody"));
        values.put(":attrs", alertValues.get("alertAttributes"));
        // The facts go with the alert they were made for: an alert without them leaves none of the planned one's behind.
        Optional<AttributeValue> facts = Optional.ofNullable(alertValues.get(FactsAttribute.NAME));
        facts.ifPresent(value -> values.put(":facts", value));
        String factsUpdate = facts.isPresent() ? ", " + FactsAttribute.NAME + " = :facts" : " REMOVE " + FactsAttribute.NAME;
        dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                .updateExpression("SET #action = :action, stateAfter = :after, #status = :done, alertStatus = :pending,"
                        + " closedAt = :at, alertSubject = :subject, alertBody = :body, alertAttributes = :attrs" + factsUpdate)
                .expressionAttributeNames(Map.of("#action", "action", "#status", "status"))
                .expressionAttributeValues(values));
    }

    @Override
    public void alertSent(LedgerKey key, String messageId) {
        dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                .updateExpression("SET alertStatus = :sent, messageId = :id, alertedAt = :at")
                .expressionAttributeValues(Map.of(
                        ":sent", s(LedgerEntry.AlertStatus.SENT.name()),
                        ":id", s(messageId),
                        ":at", s(Instant.now(clock).toString()))));
    }

    @Override
    public boolean takeOver(LedgerKey key, Instant now, Instant leaseUntil) {
        return conditionally(() -> dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                .updateExpression("SET #lease = :until")
                .conditionExpression("#status = :open AND (attribute_not_exists(#lease) OR #lease < :now)")
                .expressionAttributeNames(Map.of("#lease", LEASE_UNTIL, "#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":until", epoch(leaseUntil),
                        ":now", epoch(now),
                        ":open", s(LedgerEntry.Status.OPEN.name())))));
    }

    @Override
    public boolean claimAlert(LedgerKey key, Instant now, Instant claimUntil) {
        return conditionally(() -> dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                .updateExpression("SET alertStatus = :sending, #claim = :until")
                .conditionExpression("alertStatus = :pending OR (alertStatus = :sending AND #claim < :now)")
                .expressionAttributeNames(Map.of("#claim", CLAIM_UNTIL))
                .expressionAttributeValues(Map.of(
                        ":sending", s(LedgerEntry.AlertStatus.SENDING.name()),
                        ":pending", s(LedgerEntry.AlertStatus.PENDING.name()),
                        ":until", epoch(claimUntil),
                        ":now", epoch(now)))));
    }

    @Override
    public void addSweepCounts(String sweepId, Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            names.put("#c" + i, "count:" + count.getKey());
            values.put(":c" + i, AttributeValue.fromN(Integer.toString(count.getValue())));
            adds.add("#c" + i + " :c" + i);
            i++;
        }
        dynamo.updateItem(r -> r.tableName(table).key(sweepKey(sweepId))
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    @Override
    public Map<String, Integer> sweepCounts(String sweepId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(sweepKey(sweepId)).consistentRead(true)).item();
        Map<String, Integer> counts = new TreeMap<>();
        if (item != null) {
            item.forEach((name, value) -> {
                if (name.startsWith("count:")) {
                    counts.put(name.substring("count:".length()), Integer.parseInt(value.n()));
                }
            });
        }
        return counts;
    }

    @Override
    public boolean reserveSweepFix(String sweepId, String account, int max) {
        return conditionally(() -> dynamo.updateItem(r -> r.tableName(table).key(accountKey(sweepId, account))
                .updateExpression("ADD #reserved :one")
                .conditionExpression("attribute_not_exists(#reserved) OR #reserved < :max")
                .expressionAttributeNames(Map.of("#reserved", RESERVED))
                .expressionAttributeValues(Map.of(
                        ":one", AttributeValue.fromN("1"),
                        ":max", AttributeValue.fromN(Integer.toString(max))))));
    }

    @Override
    public void releaseSweepFix(String sweepId, String account) {
        dynamo.updateItem(r -> r.tableName(table).key(accountKey(sweepId, account))
                .updateExpression("ADD #reserved :minus")
                .expressionAttributeNames(Map.of("#reserved", RESERVED))
                .expressionAttributeValues(Map.of(":minus", AttributeValue.fromN("-1"))));
    }

    @Override
    public boolean hasSwept(String account) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(sweptKey(account)).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    @Override
    public void markSwept(String sweepId, String account) {
        dynamo.updateItem(r -> r.tableName(table).key(sweptKey(account))
                .updateExpression("SET lastSweep = :id")
                .expressionAttributeValues(Map.of(":id", s(sweepId))));
    }

    @Override
    public boolean pinReportOnly(String sweepId, String account, boolean reportOnly) {
        Map<String, AttributeValue> pinned = dynamo.updateItem(r -> r.tableName(table).key(accountKey(sweepId, account))
                .updateExpression("SET reportOnly = if_not_exists(reportOnly, :decided)")
                .expressionAttributeValues(Map.of(":decided", AttributeValue.fromBool(reportOnly)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        // An answer without the attribute is not one the ledger would give; reporting changes nothing.
        AttributeValue value = pinned == null ? null : pinned.get("reportOnly");
        return value == null || value.bool() == null || value.bool();
    }

    /** The sweep's item for one account: its fix reservations and whether it only reports there. */
    private static Map<String, AttributeValue> accountKey(String sweepId, String account) {
        return Map.of(EVENT_ID, s(SWEEP + sweepId), SUBJECT, s("account#" + account));
    }

    private static Map<String, AttributeValue> sweptKey(String account) {
        return Map.of(EVENT_ID, s(SWEPT), SUBJECT, s("swept#" + account));
    }

    private static Map<String, AttributeValue> sweepKey(String sweepId) {
        return Map.of(EVENT_ID, s(SWEEP + sweepId), SUBJECT, s("totals"));
    }

    @Override
    public void releaseLease(LedgerKey key) {
        conditionally(() -> dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                .updateExpression("SET #lease = :zero")
                .conditionExpression("attribute_exists(#e)")
                .expressionAttributeNames(Map.of("#lease", LEASE_UNTIL, "#e", EVENT_ID))
                .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0")))));
    }

    @Override
    public void releaseAlert(LedgerKey key) {
        conditionally(() -> dynamo.updateItem(r -> r.tableName(table).key(keyOf(key))
                .updateExpression("SET alertStatus = :pending REMOVE #claim")
                .conditionExpression("alertStatus = :sending")
                .expressionAttributeNames(Map.of("#claim", CLAIM_UNTIL))
                .expressionAttributeValues(Map.of(
                        ":pending", s(LedgerEntry.AlertStatus.PENDING.name()),
                        ":sending", s(LedgerEntry.AlertStatus.SENDING.name())))));
    }

    @Override
    public FixCount fixesIn(String rule, String tableArn, String window) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(breakerKey(rule, tableArn, window)).consistentRead(true)).item();
        if (item == null || !item.containsKey("fixes")) {
            return new FixCount(0, Set.of());
        }
        AttributeValue actors = item.get("actors");
        return new FixCount(Integer.parseInt(item.get("fixes").n()), actors == null ? Set.of() : Set.copyOf(actors.ss()));
    }

    @Override
    public void countFix(String rule, String tableArn, String window, String actor) {
        dynamo.updateItem(r -> r.tableName(table).key(breakerKey(rule, tableArn, window))
                .updateExpression("ADD fixes :one, actors :actor")
                .expressionAttributeValues(Map.of(
                        ":one", AttributeValue.fromN("1"),
                        ":actor", AttributeValue.fromSs(List.of(actor.isEmpty() ? "unknown" : actor)))));
    }

    @Override
    public boolean tripBreaker(String rule, String tableArn, String window) {
        return conditionally(() -> dynamo.updateItem(r -> r.tableName(table).key(breakerKey(rule, tableArn, window))
                .updateExpression("SET tripped = :yes")
                .conditionExpression("attribute_not_exists(tripped)")
                .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true)))));
    }

    @Override
    public void hold(Hold hold) {
        Map<String, AttributeValue> item = new HashMap<>(holdKey(hold.kind(), hold.tableArn()));
        item.put("tableArn", s(hold.tableArn()));
        item.put("decidedAt", s(hold.decidedAt().toString()));
        hold.until().ifPresent(until -> item.put("until", s(until.toString())));
        hold.value().ifPresent(value -> item.put("value", s(value)));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    @Override
    public Optional<Hold> holdOn(Hold.Kind kind, String tableArn) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(holdKey(kind, tableArn))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty() || !tableArn.equals(text(item, "tableArn"))) {
            return Optional.empty();
        }
        String until = text(item, "until");
        String value = text(item, "value");
        return Optional.of(new Hold(kind, tableArn, Instant.parse(text(item, "decidedAt")),
                until.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(until)),
                value.isEmpty() ? Optional.empty() : Optional.of(value)));
    }

    @Override
    public Map<String, String> lastSeen(String tableArn) {
        return memory.lastSeen(tableArn);
    }

    @Override
    public void remember(String tableArn, Map<String, String> facts, Instant seenAt) {
        memory.remember(tableArn, facts, seenAt);
    }

    private static Map<String, AttributeValue> holdKey(Hold.Kind kind, String tableArn) {
        LedgerKey key = new LedgerKey(HOLD + kind.name().toLowerCase(Locale.ROOT) + "#" + tableArn, "current");
        return keyOf(key);
    }

    private static boolean conditionally(Runnable update) {
        try {
            update.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> breakerKey(String rule, String tableArn, String window) {
        return Map.of(EVENT_ID, s(BREAKER + rule + "#" + tableArn), SUBJECT, s(window));
    }

    private static AttributeValue epoch(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.getEpochSecond()));
    }

    private static LedgerEntry entry(LedgerKey key, Map<String, AttributeValue> item) {
        Optional<Alert> alert = Optional.ofNullable(item.get("alertSubject")).map(subject -> new Alert(
                subject.s(),
                text(item, "alertBody"),
                Optional.ofNullable(item.get("alertAttributes")).map(AttributeValue::m).orElse(Map.of())
                        .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().s())),
                FactsAttribute.from(item)));
        return new LedgerEntry(key,
                text(item, "rule"),
                text(item, "tableArn"),
                text(item, "eventName"),
                text(item, "actor"),
                text(item, "severity"),
                text(item, "finding"),
                text(item, "stateBefore"),
                text(item, "stateAfter"),
                text(item, "action"),
                LedgerEntry.Status.valueOf(text(item, "status")),
                alert,
                LedgerEntry.AlertStatus.valueOf(text(item, "alertStatus")),
                Instant.parse(text(item, "recordedAt")),
                item.containsKey(LEASE_UNTIL) ? Instant.ofEpochSecond(Long.parseLong(item.get(LEASE_UNTIL).n())) : Instant.EPOCH);
    }

    /** The alert's text, attributes and, when it has them, its facts ({@link FactsAttribute}). */
    private static Map<String, AttributeValue> alertAttributes(Alert alert) {
        Map<String, AttributeValue> attributes = new HashMap<>(Map.of(
                "alertSubject", s(alert.subject()),
                "alertBody", s(alert.body()),
                "alertAttributes", AttributeValue.fromM(alert.attributes().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> s(e.getValue()))))));
        alert.facts().flatMap(FactsAttribute::of).ifPresent(facts -> attributes.put(FactsAttribute.NAME, facts));
        return attributes;
    }

    private static Map<String, AttributeValue> keyOf(LedgerKey key) {
        return Map.of(EVENT_ID, s(key.eventId()), SUBJECT, s(key.subject()));
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isEmpty()) {
            item.put(name, s(value));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }

    /**
     * Every string the ledger stores, cut to fit: an item may not exceed 400 KB, and a hostile event can
     * carry a policy or names of any size. A cut text ends with a note saying so.
     */
    static AttributeValue s(String value) {
        if (Excerpt.head(value, MAX_TEXT_BYTES).length() == value.length()) {
            return AttributeValue.fromS(value);
        }
        return AttributeValue.fromS(Excerpt.head(value, MAX_TEXT_BYTES - CUT_NOTE.length()) + CUT_NOTE);
    }
}
