package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.handler.Sweeper;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The full result of a sweep, as JSON or CSV by the file's extension: every result of every check on
 * every table (region, table, rule, severity, action, alert), then the totals.
 *
 * <p>CSV has one header and two kinds of row: {@code table} rows, one per check and table, and
 * {@code total} rows, one per counter; a counter named {@code rule:region:ACTION} fills those three
 * columns, any other ({@code seen}, {@code fixed}, ...) is named in the {@code action} column.
 */
final class SweepReport {
    static final List<String> CSV_COLUMNS = List.of("kind", "region", "table", "rule", "severity", "action", "alert",
            "count", "arn");

    private SweepReport() {
    }

    /** Whether {@code file} names a format the report can be written in. */
    static boolean supports(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".csv");
    }

    static void write(Path file, LocalSweep.Outcome outcome) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                csv(outcome, out);
            }
        } else {
            Files.writeString(file, json(outcome), StandardCharsets.UTF_8);
        }
    }

    static String json(LocalSweep.Outcome outcome) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("sweepId", outcome.sweepId());
        root.put("reportOnly", outcome.reportOnly());
        if (outcome.reportOnly()) {
            root.put("reportOnlyBecause", outcome.reportOnlyWhy());
        }
        root.set("regions", json.valueToTree(outcome.regions()));
        root.set("rules", json.valueToTree(Sweeper.rules()));
        ArrayNode results = root.putArray("results");
        for (LocalSweep.Row row : outcome.rows()) {
            results.addObject()
                    .put("region", row.region())
                    .put("table", row.table())
                    .put("rule", row.rule())
                    .put("severity", row.severity())
                    .put("action", row.action())
                    .put("alert", row.alert())
                    .put("arn", row.arn());
        }
        root.set("totals", json.valueToTree(outcome.totals()));
        root.set("failedRegions", json.valueToTree(outcome.failedRegions()));
        root.put("summaryAlert", outcome.summarySent().orElse(""));
        root.put("pages", outcome.pages());
        root.put("wallMillis", outcome.wall().toMillis());
        root.put("cpuMillis", outcome.cpu().toMillis());
        return json.writeValueAsString(root) + "\n";
    }

    static void csv(LocalSweep.Outcome outcome, Writer out) throws IOException {
        line(out, CSV_COLUMNS);
        for (LocalSweep.Row row : outcome.rows()) {
            line(out, List.of("table", row.region(), row.table(), row.rule(), row.severity(), row.action(), row.alert(),
                    "", row.arn()));
        }
        for (Map.Entry<String, Integer> total : outcome.totals().entrySet()) {
            String[] parts = total.getKey().split(":", 3);
            String count = String.valueOf(total.getValue());
            line(out, parts.length == 3
                    ? List.of("total", parts[1], "", parts[0], "", parts[2], "", count, "")
                    : List.of("total", "", "", "", "", total.getKey(), "", count, ""));
        }
    }

    private static void line(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells.get(i)));
        }
        out.write("\r\n");
    }

    /**
     * RFC 4180: quoted when it holds a comma, quote or line break. Cells are table names ([a-zA-Z0-9_.-]),
     * ARNs and ddb-warden's own words, so none needs defusing against spreadsheet formulas; none is altered.
     */
    static String cell(String value) {
        String text = value == null ? "" : value;
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
