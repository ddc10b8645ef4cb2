package dev.ddbwarden.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each event names its table, as data. The request is tried first, then the response, then the
 * record's {@code resources}: some records omit {@code requestParameters.tableName} (AWS's own
 * UpdateTable example carries only the changed settings).
 */
public final class TableLocator {
    private static final String[] TABLE_NAME = {"tableName"};
    private static final Map<String, String[]> REQUEST_PATHS = Map.ofEntries(
            Map.entry("RestoreTableFromBackup", new String[] {"targetTableName"}),
            Map.entry("RestoreTableToPointInTime", new String[] {"targetTableName"}),
            Map.entry("ImportTable", new String[] {"tableCreationParameters", "tableName"}),
            Map.entry("PutResourcePolicy", new String[] {"resourceArn"}),
            Map.entry("DeleteResourcePolicy", new String[] {"resourceArn"}),
            Map.entry("TagResource", new String[] {"resourceArn"}),
            Map.entry("UntagResource", new String[] {"resourceArn"}),
            Map.entry("ExportTableToPointInTime", new String[] {"tableArn"}),
            Map.entry("CreateGlobalTable", new String[] {"globalTableName"}),
            Map.entry("UpdateGlobalTable", new String[] {"globalTableName"}));
    private static final List<String[]> RESPONSE_PATHS = List.of(
            new String[] {"tableDescription", "tableArn"},
            new String[] {"tableDescription", "tableName"},
            new String[] {"importTableDescription", "tableArn"});

    private TableLocator() {
    }

    /** The table the call acted on, or empty when the record names none that can be read. */
    public static Optional<TableRef> locate(ApiCall call) {
        for (String nameOrArn : named(call)) {
            Optional<TableRef> table = TableRef.parse(nameOrArn, call.region(), call.accountId());
            if (table.isPresent()) {
                return table;
            }
        }
        return Optional.empty();
    }

    /** Every text that may name the call's table, in the order they are tried; absent ones left out. */
    static List<String> named(ApiCall call) {
        List<String> named = new ArrayList<>();
        addIfPresent(named, Json.text(call.requestParameters(), REQUEST_PATHS.getOrDefault(call.eventName(), TABLE_NAME)));
        for (String[] path : RESPONSE_PATHS) {
            addIfPresent(named, Json.text(call.responseElements(), path));
        }
        for (String arn : call.resourceArns()) {
            if (arn.contains(":table/")) {
                named.add(arn);
            }
        }
        return named;
    }

    private static void addIfPresent(List<String> named, String text) {
        if (!text.isEmpty()) {
            named.add(text);
        }
    }
}
