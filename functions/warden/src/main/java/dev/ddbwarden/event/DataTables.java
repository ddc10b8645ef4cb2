package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every table a DynamoDB data event touches. The single-item calls name one ({@code tableName}); the batch and
 * transaction calls name several, and PartiQL names them in its statements. CloudTrail's record of these calls is
 * documented by example only for TransactWriteItems, ExecuteStatement and BatchExecuteStatement (events/README.md
 * says how sure each is), and AWS's own TransactWriteItems example spells the field both {@code tableName} and
 * {@code TableName}, so every spelling the request could carry is read, and the record's {@code resources} (the
 * table ARNs CloudTrail lists for data events) is added to what the request names. A table named twice counts once.
 */
public final class DataTables {
    private static final Set<String> TABLE_NAME_FIELDS = Set.of("tableName", "TableName");
    /** Where the batch and transaction calls name their tables: a map keyed by table (the API's shape) or a list. */
    private static final Set<String> ITEM_LISTS = Set.of("requestItems", "RequestItems", "transactItems", "TransactItems");
    private static final Set<String> STATEMENT_LISTS = Set.of("requestItems", "RequestItems", "statements", "Statements",
            "transactStatements", "TransactStatements");
    private static final Set<String> STATEMENT_FIELDS = Set.of("statement", "Statement");
    /** A PartiQL string literal: skipped, so that a key value reading "from x" names no table. */
    private static final Pattern LITERAL = Pattern.compile("'(?:[^']|'')*'");
    /** The table after FROM (SELECT, DELETE), INTO (INSERT) or UPDATE, bare or double-quoted. */
    private static final Pattern TABLE_IN_STATEMENT = Pattern.compile(
            "(?i)\\b(?:FROM|INTO|UPDATE)\\s+(\"(?:[^\"]|\"\")+\"|[A-Za-z0-9_.-]+)");

    private DataTables() {
    }

    /** The tables {@code call} touches, in the order the record names them; empty when it names none that can be read. */
    public static List<TableRef> of(ApiCall call) {
        List<String> named = new ArrayList<>();
        JsonNode request = call.requestParameters();
        named.addAll(texts(request, TABLE_NAME_FIELDS));
        for (String list : ITEM_LISTS) {
            JsonNode items = request.path(list);
            if (items.isObject()) {
                items.fieldNames().forEachRemaining(named::add);
            }
            for (JsonNode item : items.isArray() ? items : List.<JsonNode>of()) {
                named.addAll(texts(item, TABLE_NAME_FIELDS));
                item.elements().forEachRemaining(inner -> named.addAll(texts(inner, TABLE_NAME_FIELDS)));
            }
        }
        List<String> statements = new ArrayList<>(texts(request, STATEMENT_FIELDS));
        for (String list : STATEMENT_LISTS) {
            for (JsonNode item : request.path(list).isArray() ? request.path(list) : List.<JsonNode>of()) {
                statements.addAll(texts(item, STATEMENT_FIELDS));
            }
        }
        statements.forEach(statement -> named.addAll(tablesIn(statement)));
        call.resourceArns().stream().filter(arn -> arn.contains(":table/")).forEach(named::add);
        Map<String, TableRef> tables = new LinkedHashMap<>();
        for (String nameOrArn : named) {
            TableRef.parse(nameOrArn, call.region(), call.accountId()).ifPresent(table -> tables.putIfAbsent(table.arn(), table));
        }
        return List.copyOf(tables.values());
    }

    /**
     * The tables a PartiQL statement reads or writes: a quoted {@code "table"."index"} names its first part; a bare
     * {@code table.index} names both readings, since a table's own name may hold a dot.
     */
    static List<String> tablesIn(String statement) {
        List<String> tables = new ArrayList<>();
        Matcher matcher = TABLE_IN_STATEMENT.matcher(LITERAL.matcher(statement).replaceAll("''"));
        while (matcher.find()) {
            String name = matcher.group(1);
            if (name.startsWith("\"")) {
                tables.add(name.substring(1, name.length() - 1).replace("\"\"", "\""));
            } else {
                tables.add(name);
                if (name.contains(".")) {
                    tables.add(name.substring(0, name.indexOf('.')));
                }
            }
        }
        return tables;
    }

    private static List<String> texts(JsonNode node, Set<String> fields) {
        List<String> texts = new ArrayList<>();
        for (String field : fields) {
            String text = Json.text(node, field);
            if (!text.isEmpty()) {
                texts.add(text);
            }
        }
        return texts;
    }
}
