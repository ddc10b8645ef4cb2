package dev.ddbwarden.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * bench/faults: every fault scenario at full scale against a moto_server of its own on loopback, one row
 * per scenario, then one line of totals. Exit status 1 when any duplicate, loss, crash or failed check.
 *
 * <p>Arguments: {@code [--seed N] [--scale full|fast] [--only deliveries,outage,sns,mutations,tug]}.
 */
public final class FaultsBench {
    private FaultsBench() {
    }

    public static void main(String[] args) throws Exception {
        long seed = System.currentTimeMillis() % 1_000_000;
        FaultScenarios.Scale scale = FaultScenarios.FULL;
        List<String> only = List.of("deliveries", "outage", "sns", "mutations", "tug");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--scale" -> scale = args[++i].equals("fast") ? FaultScenarios.FAST : FaultScenarios.FULL;
                case "--only" -> only = List.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: bench/faults [--seed N] [--scale full|fast] [--only deliveries,outage,sns,mutations,tug]");
                    System.exit(2);
                }
            }
        }
        long started = System.nanoTime();
        PrintStream out = System.out;
        // The handlers' metrics library prints to standard output; the table is all this prints there.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        out.printf("bench/faults: seed %d (rerun: bench/faults --seed %d), scale %s%n", seed, seed, scale.name());
        out.println("Starting moto_server on loopback...");
        out.flush();
        List<Tally> rows = new ArrayList<>();
        try (MotoServer moto = MotoServer.start()) {
            LocalAws.pointAt(moto.endpoint());
            FaultScenarios scenarios = new FaultScenarios(moto, seed, scale);
            for (String name : only) {
                Tally tally;
                try {
                    tally = switch (name) {
                        case "deliveries" -> scenarios.deliveries();
                        case "outage" -> scenarios.outage();
                        case "sns" -> scenarios.snsDown();
                        case "mutations" -> scenarios.mutations();
                        case "tug" -> scenarios.tugOfWar();
                        default -> throw new IllegalArgumentException("no scenario " + name);
                    };
                } catch (Exception e) {
                    // The bench itself failed (setup, moto): say so in the table rather than lose the other rows.
                    tally = new Tally(name);
                    tally.check(false, "the scenario could not run: " + e);
                    e.printStackTrace();
                }
                rows.add(tally);
                out.printf("  done: %s (%.1f s)%n", tally.scenario, tally.millis / 1000.0);
                out.flush();
            }
        }
        print(out, rows);
        saveCrashInputs(out, rows);
        out.printf("%nbench/faults took %.0f s%n", (System.nanoTime() - started) / 1e9);
        totals(out, rows);
        boolean passed = rows.stream().allMatch(Tally::passed);
        out.flush();
        System.exit(passed ? 0 : 1);
    }

    /** Writes every input that crashed a handler, or made it throw for good, to bench/out/faults/input-N.json. */
    private static void saveCrashInputs(PrintStream out, List<Tally> rows) throws java.io.IOException {
        java.nio.file.Path dir = Project.ROOT.resolve("bench/out/faults");
        if (java.nio.file.Files.isDirectory(dir)) {
            try (var old = java.nio.file.Files.newDirectoryStream(dir, "input-*.json")) {
                for (java.nio.file.Path file : old) {
                    java.nio.file.Files.delete(file);
                }
            }
        }
        int n = 0;
        for (Tally t : rows) {
            for (String input : t.crashInputs) {
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Path file = dir.resolve("input-" + (++n) + ".json");
                // The bytes the handler was given (a lone surrogate becomes '?', as in the invocation).
                java.nio.file.Files.write(file, input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.println("failing input saved (replay it: ./warden invoke FUNCTION -e " + file + ")");
            }
        }
    }

    static void print(PrintStream out, List<Tally> rows) {
        out.println();
        String format = "%-86s %7s %10s %6s %6s %10s %5s %7s %8s%n";
        out.printf(format, "scenario", "events", "violations", "fixed", "alerts", "duplicates", "lost", "crashes", "time");
        for (Tally t : rows) {
            out.printf(format, t.scenario, t.events, t.violationCount(), t.fixed(), t.alerts, t.duplicates, t.lost,
                    t.crashes.get(), String.format(Locale.ROOT, "%.1fs", t.millis / 1000.0));
        }
        out.println();
        for (Tally t : rows) {
            out.println(t.scenario + ": " + (t.passed() ? "ok" : "FAILED"));
            t.failedChecks.forEach(c -> out.println("  FAILED: " + c));
            out.println("  " + t.invocations.sum() + " invocations, " + t.failedInvocations.sum() + " threw ("
                    + t.awsErrors.sum() + " AWS errors, " + t.retrySignals.sum() + " deliberate retries, " + t.crashes.get()
                    + " crashes); " + t.overTimeout.sum() + " ran past the function's timeout");
            t.notes.forEach(n -> out.println("  " + n));
            t.failureSamples.forEach(c -> out.println("  threw: " + c));
            t.retrySamples.forEach(c -> out.println("  deliberate retry: " + c));
            t.crashSamples.forEach(c -> out.println("  crash: " + c));
        }
    }

    /** The last line, always. */
    static void totals(PrintStream out, List<Tally> rows) {
        out.printf("events %d, violations %d, fixed %d, alerts %d, duplicates %d, lost %d, crashes %d%n",
                rows.stream().mapToInt(t -> t.events).sum(),
                rows.stream().mapToInt(Tally::violationCount).sum(),
                rows.stream().mapToInt(Tally::fixed).sum(),
                rows.stream().mapToInt(t -> t.alerts).sum(),
                rows.stream().mapToInt(t -> t.duplicates).sum(),
                rows.stream().mapToInt(t -> t.lost).sum(),
                rows.stream().mapToInt(t -> t.crashes.get()).sum());
    }
}
