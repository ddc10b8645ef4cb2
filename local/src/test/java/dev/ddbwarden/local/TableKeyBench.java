package dev.ddbwarden.local;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ApiCallParser;
import dev.ddbwarden.event.JsonText;
import dev.ddbwarden.event.Parsed;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.SubjectLookup;
import dev.ddbwarden.rules.tablekey.TableKeyRule;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TimeBudget;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * bench/table-keys: how the table-key rule finds the tables a KMS key encrypts, with 1,000 tables in the region of a
 * moto_server of its own. Two estates: 997 tables under AWS owned keys and 3 under one customer managed key; then
 * 1,000 tables all under one key. For each, the lookup after a DisableKey (through the key's grants) and after a
 * RevokeGrant (every table: ListTables and DescribeTable), each run five times; the median wall time and the calls it
 * made, counted by the SDK interceptor the tests use. Each lookup is given the time budget a handler gives it: by
 * default the function's 60 s less the handler's 10 s margin; the look through every table stops 15 s before its end.
 *
 * <p>Arguments: {@code [--tables 1000] [--budget-seconds 50] [--out FILE.md]}.
 */
public final class TableKeyBench {
    private static final int RUNS = 5;
    private static Duration budget = Duration.ofSeconds(50);

    private TableKeyBench() {
    }

    record Row(String estate, String lookup, int underKey, double medianMs, Map<String, Long> calls, String subject) {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("ddbwarden.logLevel") == null) {
            System.setProperty("ddbwarden.logLevel", "WARN");
        }
        int tables = 1_000;
        Path outFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tables" -> tables = Integer.parseInt(args[++i]);
                case "--out" -> outFile = Path.of(args[++i]);
                case "--budget-seconds" -> budget = Duration.ofSeconds(Long.parseLong(args[++i]));
                default -> {
                    System.err.println("usage: bench/table-keys [--tables 1000] [--budget-seconds 50] [--out FILE.md]");
                    System.exit(2);
                }
            }
        }
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        out.println("bench/table-keys: " + tables + " tables in " + LocalAws.REGION + "; lookups run " + RUNS
                + " times each, each with a budget of " + budget.toSeconds() + " s");
        List<Row> rows = new ArrayList<>();
        try (MotoServer moto = MotoServer.start()) {
            LocalAws.pointAt(moto.endpoint());
            for (int underKey : new int[] {3, tables}) {
                moto.reset();
                DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
                try (LocalKeys keys = new LocalKeys(dynamo)) {
                    String key = keys.createKey();
                    long start = System.nanoTime();
                    create(tables, n -> n < underKey ? () -> keys.createTable(name(n), key) : () -> plain(dynamo, name(n)));
                    out.printf(Locale.ROOT, "  %,d tables, %,d under the key: created in %.1f s%n", tables, underKey,
                            (System.nanoTime() - start) / 1e9);
                    out.flush();
                    String estate = String.format(Locale.ROOT, "%,d tables, %,d under the key", tables, underKey);
                    rows.add(measure(estate, "grants (DisableKey)", underKey, lookup(dynamo), call("table-key-disable-key.json", key)));
                    rows.add(measure(estate, "every table (RevokeGrant)", underKey, lookup(dynamo),
                            call("table-key-revoke-grant.json", key)));
                }
            }
        }
        BenchTable.show(out, table(rows), outFile);
        System.exit(rows.stream().allMatch(r -> r.subject().equals(name(0))) ? 0 : 1);
    }

    private static String name(int n) {
        return String.format(Locale.ROOT, "bench-%05d", n);
    }

    private static void plain(DynamoDbClient dynamo, String name) {
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
    }

    private static void create(int size, IntFunction<Runnable> table) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                futures.add(pool.submit(table.apply(i)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static SubjectLookup lookup(DynamoDbClient dynamo) {
        return new TableKeyRule().subjectLookup(new FixContext(RegionalDynamo.around(dynamo), hold -> { }, Clock.systemUTC()));
    }

    private static ApiCall call(String sample, String key) throws Exception {
        Parsed parsed = ApiCallParser.parse(JsonText.read(LocalKeys.event(Project.event(sample), key)));
        return ((Parsed.Call) parsed).call();
    }

    private static Row measure(String estate, String name, int underKey, SubjectLookup lookup, ApiCall call) throws Exception {
        long[] nanos = new long[RUNS];
        List<TableRef> found = List.of();
        String function = "bench-" + name + "-" + estate;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            found = RecordingInterceptor.record(i == 0 ? function : "bench-repeat", () -> lookup.find(call, TimeBudget.of(Clock.systemUTC(), budget, Duration.ZERO)));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        Map<String, Long> calls = new TreeMap<>();
        RecordingInterceptor.calls(function).forEach(action -> calls.merge(action, 1L, Long::sum));
        return new Row(estate, name, underKey, nanos[RUNS / 2] / 1e6, calls, found.isEmpty() ? "none" : found.get(0).name());
    }

    static String table(List<Row> rows) {
        StringBuilder text = new StringBuilder();
        String format = "%-32s %-27s %12s %-60s %s%n";
        text.append(String.format(Locale.ROOT, format, "estate", "lookup", "median ms", "calls (one run)", "subject"));
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, format, row.estate(), row.lookup(),
                    String.format(Locale.ROOT, "%.0f", row.medianMs()), row.calls().toString(), row.subject()));
        }
        return text.toString();
    }
}
