package dev.ddbwarden.bench;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.handler.Priming;
import dev.ddbwarden.handler.Services;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for SnapStart's first invocation, for bench/cold-start: in a fresh JVM, builds
 * WardenHandler as the runtime would (init), runs {@link Priming} as SnapStart would before
 * taking the snapshot, then handles one event. What a restored snapshot's first invocation costs is
 * close to this process's first invocation; SnapStart's own restore time is not modelled (Lambda
 * reports it apart, as Restore Duration), and init plus priming happen when a version is published,
 * not on any event's path.
 *
 * <p>Prints {@code REPORT Init Duration: X ms Duration: Y ms Priming: Z ms} to standard error, X being
 * the constructor and priming together. Arguments: EVENT.json.
 */
public final class PrimedBootstrap {
    private PrimedBootstrap() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream result = System.out;
        System.setOut(System.err);
        long initStart = System.nanoTime();
        Services services = Services.fromEnvironment();
        WardenHandler handler = new WardenHandler(new DeletionProtectionRule(), services);
        long primingStart = System.nanoTime();
        Priming.Report report = new Priming(services).prime();
        long initEnd = System.nanoTime();
        if (!report.failed().isEmpty()) {
            System.err.println("priming skipped steps: " + report.failed());
        }

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long start = System.nanoTime();
        try (InputStream event = Files.newInputStream(Path.of(args[0]))) {
            handler.handleRequest(event, output, new WarmPath.BenchContext());
        }
        long duration = (System.nanoTime() - start) / 1_000_000;
        System.err.printf("REPORT Init Duration: %d ms\tDuration: %d ms\tPriming: %d ms%n",
                (initEnd - initStart) / 1_000_000, duration, (initEnd - primingStart) / 1_000_000);
        result.println(output.toString(StandardCharsets.UTF_8));
        result.flush();
    }
}
