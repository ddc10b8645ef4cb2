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
    private static final List<String> TABLE_NAME = List.of("tableName");
    private static final Map<String, List<String>> REQUEST_PATHS = Map.ofEntries(
            Map.entry("RestoreTableFromBackup", List.of("targetTableName")),
            Map.entry("RestoreTableToPointInTime", List.of("targetTableName")),
            Map.entry("ImportTable", List.of("tableCreationParameters", "tableName")),
            Map.entry("PutResourcePolicy", List.of("resourceArn")),
            Map.entry("DeleteResourcePolicy", List.of("resourceArn")),
            Map.entry("TagResource", List.of("resourceArn")),
            Map.entry("UntagResource", List.of("resourceArn")),
            Map.entry("ExportTableToPointInTime", List.of("tableArn")),
            Map.entry("CreateGlobalTable", List.of("globalTableName")),
            Map.entry("UpdateGlobalTable", List.of("globalTableName")));
    private static final List<List<String>> RESPONSE_PATHS = List.of(
            List.of("tableDescription", "tableArn"),
            List.of("tableDescription", "tableName"),
            List.of("importTableDescription", "tableArn"));

    private TableLocator() {
    }

    /** The table the call acted on, or empty when the record names none that can be read. */
    public static Optional<TableRef> locate(ApiCall call) {
        return named(call).stream()
                .map(nameOrArn -> TableRef.parse(nameOrArn, call.region(), call.accountId()))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /** Every text that may name the call's table, in the order they are tried; absent ones left out. */
    static List<String> named(ApiCall call) {
        List<String> named = new ArrayList<>();
        named.add(Json.text(call.requestParameters(),
                REQUEST_PATHS.getOrDefault(call.eventName(), TABLE_NAME).toArray(String[]::new)));
        for (List<String> path : RESPONSE_PATHS) {
            named.add(Json.text(call.responseElements(), path.toArray(String[]::new)));
        }
        call.resourceArns().stream().filter(arn -> arn.contains(":table/")).forEach(named::add);
        named.removeIf(String::isEmpty);
        return named;
    }
}
