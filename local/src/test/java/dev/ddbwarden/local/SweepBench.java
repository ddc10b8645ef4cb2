package dev.ddbwarden.local;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.state.Sleeper;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bench/sweep: the sweep over N tables spread evenly across three regions of a moto_server of its own
 * on loopback, half of them without deletion protection, for each N; one row per N with the wall time
 * per table and ddb-warden's own CPU time per table (the sweeping threads' CPU time, which excludes
 * moto_server's process), beside moto_server's CPU per table, then the ratio of our CPU per table at
 * 1,000 tables to that at 100, and the AWS calls the sweep made per table, by action (every rule's reads and
 * fixes, the ledger's and the alerts'), which the machine's load does not change.
 *
 * <p>Arguments: {@code [--big] [--sizes 100,1000] [--threads 8] [--out FILE.md]}; {@code --big} adds 10,000.
 */
public final class SweepBench {
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final int WARM_UP_TABLES = 100;

    private SweepBench() {
    }

    /** One N's measures. */
    record Row(int tables, Duration create, LocalSweep.Outcome outcome, Duration motoCpu, Map<String, Integer> calls) {
        double wallPerTableMs() {
            return outcome.wall().toNanos() / 1e6 / tables;
        }

        double cpuPerTableMs() {
            return outcome.cpu().toNanos() / 1e6 / tables;
        }

        double motoCpuPerTableMs() {
            return motoCpu.toNanos() / 1e6 / tables;
        }
    }

    public static void main(String[] args) throws Exception {
        // Each table logs a line at INFO; the sweep's own work is what is measured, not the terminal's.
        if (System.getProperty("ddbwarden.logLevel") == null) {
            System.setProperty("ddbwarden.logLevel", "WARN");
        }
        List<Integer> sizes = new ArrayList<>(List.of(100, 1_000));
        int threads = 8;
        Path outFile = null;
        List<Integer> accountCounts = List.of();
        int perRegion = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--big" -> sizes.add(10_000);
                case "--sizes" -> sizes = new ArrayList<>(List.of(args[++i].split(","))
                        .stream().map(String::trim).map(Integer::parseInt).toList());
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--out" -> outFile = Path.of(args[++i]);
                case "--accounts" -> accountCounts = List.of(args[++i].split(",")).stream().map(String::trim).map(Integer::parseInt).toList();
                case "--per-region" -> perRegion = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: bench/sweep [--big] [--sizes 100,1000] [--threads 8] [--out FILE.md]"
                            + " | bench/sweep --accounts 1,20 [--per-region 100]");
                    System.exit(2);
                }
            }
        }
        PrintStream out = System.out;
        // Libraries that print (the metrics library) would interleave with the table.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        if (!accountCounts.isEmpty()) {
            OrgSweepBench.run(out, accountCounts, perRegion, threads, outFile);
            return;
        }
        out.println("bench/sweep: tables spread evenly over " + String.join(", ", REGIONS) + ", every other one"
                + " without deletion protection; sizes " + sizes + "; " + threads + " threads create them");
        out.println("Starting moto_server on loopback...");
        out.flush();
        List<Row> rows = new ArrayList<>();
        try (MotoServer moto = MotoServer.start()) {
            LocalAws.pointAt(moto.endpoint());
            out.printf("moto_server at %s; warm-up: one sweep over %d tables, not counted%n", moto.endpoint(), WARM_UP_TABLES);
            out.flush();
            measure(moto, WARM_UP_TABLES, threads);
            for (int size : sizes) {
                Row row = measure(moto, size, threads);
                rows.add(row);
                out.printf("  done: %,d tables (created in %.1f s, swept in %.1f s)%n", size,
                        row.create.toMillis() / 1000.0, row.outcome.wall().toMillis() / 1000.0);
                out.flush();
            }
        }
        BenchTable.show(out, table(rows), outFile);
        System.exit(rows.stream().allMatch(r -> r.outcome.failed() == 0) ? 0 : 1);
    }

    /** A fresh estate of {@code size} tables, then one sweep that fixes (a sweep has finished before). */
    static Row measure(MotoServer moto, int size, int threads) throws Exception {
        moto.reset();
        String topicArn;
        try (LocalEstate home = new LocalEstate()) {
            topicArn = home.createAlertTopic();
            home.createLedger();
            home.dynamo().updateTable(r -> r.tableName(LocalEstate.LEDGER).deletionProtectionEnabled(true));
        }
        long start = System.nanoTime();
        create(size, threads);
        Duration create = Duration.ofNanos(System.nanoTime() - start);

        Settings settings = Settings.from(Map.of(
                "ALERT_TOPIC_ARN", topicArn,
                "LEDGER_TABLE", LocalEstate.LEDGER,
                "ALLOWED_REGIONS", String.join(",", REGIONS))::get);
        // The sweep's own threads begin no invocation: every call they make is counted as unattributed.
        CallSpy spy = new CallSpy();
        LocalSweep sweep = new LocalSweep(spy.services(settings, Clock.systemUTC(), Sleeper.REAL), 1);
        sweep.sweeper().ledger().markSwept("bench-installed", "123456789012");
        Duration motoBefore = cpuOf(moto);
        LocalSweep.Outcome outcome = sweep.run(REGIONS, false, 10_000, LocalSweep.Listener.NONE);
        Duration motoCpu = cpuOf(moto).minus(motoBefore);
        int expectedFixes = (size + 1) / 2;
        if (outcome.total("fixed") != expectedFixes || outcome.total("seen") != size + 1) {
            throw new IllegalStateException("the sweep over " + size + " tables saw " + outcome.total("seen")
                    + " and fixed " + outcome.total("fixed") + "; expected " + (size + 1) + " and " + expectedFixes
                    + ": " + outcome.totals());
        }
        return new Row(size, create, outcome, motoCpu, spy.unattributedByAction());
    }

    /** {@code size} tables, round-robin over the regions, every even-numbered one unprotected, on {@code threads} threads. */
    static void create(int size, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<LocalEstate> estates;
        try (LocalEstate home = new LocalEstate()) {
            estates = REGIONS.stream().map(home::inRegion).toList();
        }
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int n = i;
                futures.add(pool.submit(() -> estates.get(n % REGIONS.size())
                        .createTable(String.format(Locale.ROOT, "bench-%05d", n), n % 2 == 1)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
            estates.forEach(LocalEstate::close);
        }
    }

    /** CPU time of moto_server and its children so far: it is this JVM's child process. */
    static Duration cpuOf(MotoServer moto) {
        Duration total = Duration.ZERO;
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            Optional<Duration> cpu = child.info().totalCpuDuration();
            if (cpu.isPresent()) {
                total = total.plus(cpu.get());
            }
        }
        return total;
    }

    static String table(List<Row> rows) {
        StringBuilder text = new StringBuilder();
        String format = "%8s %10s %12s %14s %16s %16s %7s %7s%n";
        text.append(String.format(Locale.ROOT, format, "tables", "create s", "sweep wall s", "wall/table ms",
                "warden CPU/tbl ms", "moto CPU/tbl ms", "fixed", "pages"));
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, format, String.format(Locale.ROOT, "%,d", row.tables),
                    String.format(Locale.ROOT, "%.1f", row.create.toMillis() / 1000.0),
                    String.format(Locale.ROOT, "%.1f", row.outcome.wall().toMillis() / 1000.0),
                    String.format(Locale.ROOT, "%.2f", row.wallPerTableMs()),
                    String.format(Locale.ROOT, "%.2f", row.cpuPerTableMs()),
                    String.format(Locale.ROOT, "%.2f", row.motoCpuPerTableMs()),
                    row.outcome.total("fixed"), row.outcome.pages()));
        }
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "%nAWS calls per table, %,d tables: %.2f%n", row.tables,
                    row.calls.values().stream().mapToInt(Integer::intValue).sum() / (double) row.tables));
            row.calls.forEach((action, n) -> text.append(String.format(Locale.ROOT, "  %-40s %6.2f%n", action,
                    n / (double) row.tables)));
        }
        Optional<Row> hundred = rows.stream().filter(r -> r.tables == 100).findFirst();
        Optional<Row> thousand = rows.stream().filter(r -> r.tables == 1_000).findFirst();
        if (hundred.isPresent() && thousand.isPresent()) {
            text.append(String.format(Locale.ROOT, "%nwarden CPU per table, 1,000 vs 100 tables: %.2f"
                            + " (1.00 = flat; moto_server's CPU per table: %.2f)%n",
                    thousand.get().cpuPerTableMs() / hundred.get().cpuPerTableMs(),
                    thousand.get().motoCpuPerTableMs() / hundred.get().motoCpuPerTableMs()));
        }
        Optional<Row> tenThousand = rows.stream().filter(r -> r.tables == 10_000).findFirst();
        if (hundred.isPresent() && tenThousand.isPresent()) {
            text.append(String.format(Locale.ROOT, "warden CPU per table, 10,000 vs 100 tables: %.2f"
                            + " (moto_server's: %.2f)%n",
                    tenThousand.get().cpuPerTableMs() / hundred.get().cpuPerTableMs(),
                    tenThousand.get().motoCpuPerTableMs() / hundred.get().motoCpuPerTableMs()));
        }
        return text.toString();
    }
}
