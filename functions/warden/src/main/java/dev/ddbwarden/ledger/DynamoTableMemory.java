package dev.ddbwarden.ledger;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger's memory of tables: one item per table under a key no CloudTrail event ID can take, one attribute
 * per fact, each written with an update of its own names only, so that two rules remembering different facts of
 * one table never undo each other's.
 */
final class DynamoTableMemory implements TableMemory {
    private static final String SEEN = "seen#";
    private static final String FACT = "fact:";

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoTableMemory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Map<String, String> lastSeen(String tableArn) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(tableArn))).item();
        Map<String, String> facts = new TreeMap<>();
        // A key cut to fit DynamoDB's limits could be shared by two long ARNs: the item names the one it is about.
        if (item == null || item.get("tableArn") == null || !tableArn.equals(item.get("tableArn").s())) {
            return facts;
        }
        item.forEach((name, value) -> {
            if (name.startsWith(FACT) && value.s() != null) {
                facts.put(name.substring(FACT.length()), value.s());
            }
        });
        return facts;
    }

    @Override
    public void remember(String tableArn, Map<String, String> facts, Instant seenAt) {
        if (facts.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>(List.of("tableArn = :arn", "seenAt = :at"));
        values.put(":arn", DynamoLedger.s(tableArn));
        values.put(":at", DynamoLedger.s(seenAt.toString()));
        int i = 0;
        for (Map.Entry<String, String> fact : new TreeMap<>(facts).entrySet()) {
            names.put("#f" + i, FACT + fact.getKey());
            values.put(":f" + i, DynamoLedger.s(fact.getValue()));
            sets.add("#f" + i + " = :f" + i);
            i++;
        }
        dynamo.updateItem(r -> r.tableName(table).key(key(tableArn))
                .updateExpression("SET " + String.join(", ", sets))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    private static Map<String, AttributeValue> key(String tableArn) {
        LedgerKey key = new LedgerKey(SEEN + tableArn, "current");
        return Map.of(DynamoLedger.EVENT_ID, AttributeValue.fromS(key.eventId()), DynamoLedger.SUBJECT,
                AttributeValue.fromS(key.subject()));
    }
}
