package dev.ddbwarden.local;

import dev.ddbwarden.handler.Result;
import dev.ddbwarden.handler.SweepPage;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * bench/sweep --accounts' progress: a line each time an account's last region is walked to its end, with the figures
 * of the sweep so far (tables, wall and ddb-warden's CPU per table), so that a run stopped before its end still
 * measured something. The CPU so far is that of the sweep's own threads, which {@link LocalSweep} starts afresh for
 * each sweep and which do nothing else; the final row also counts the summary's few calls after the last page.
 */
final class OrgSweepProgress implements LocalSweep.Listener {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final PrintStream out;
    private final int accounts;
    private final int regionsPerAccount;
    /** When the sweep began (the tables' creation before it is not the sweep's). */
    private volatile long start = System.nanoTime();
    private final Map<Long, Long> cpuByThread = new ConcurrentHashMap<>();
    /** The account a thread's walk is in: a thread walks one (account, region) at a time, to its end. */
    private final Map<Long, String> accountByThread = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> regionsDone = new ConcurrentHashMap<>();
    private final AtomicInteger tables = new AtomicInteger();
    private final AtomicInteger accountsDone = new AtomicInteger();

    OrgSweepProgress(PrintStream out, int accounts, int regionsPerAccount) {
        this.out = out;
        this.accounts = accounts;
        this.regionsPerAccount = regionsPerAccount;
    }

    @Override
    public void started(String sweepId, boolean reportOnly, List<String> regions) {
        start = System.nanoTime();
    }

    @Override
    public void page(SweepPage page) {
        long thread = Thread.currentThread().getId();
        cpuByThread.put(thread, threads.getCurrentThreadCpuTime());
        Map<String, Long> byAccount = page.results().stream().map(Result::table).filter(arn -> arn.contains(":table/"))
                .distinct().collect(Collectors.groupingBy(arn -> arn.split(":")[4], Collectors.counting()));
        byAccount.keySet().stream().findFirst().ifPresent(account -> accountByThread.put(thread, account));
        int sweptSoFar = tables.addAndGet(byAccount.values().stream().mapToInt(Long::intValue).sum());
        String account = accountByThread.get(thread);
        if (page.nextToken().isPresent() || account == null
                || regionsDone.computeIfAbsent(account, a -> new AtomicInteger()).incrementAndGet() != regionsPerAccount) {
            return;
        }
        double wallS = (System.nanoTime() - start) / 1e9;
        double cpuMs = cpuByThread.values().stream().mapToLong(Long::longValue).sum() / 1e6;
        synchronized (out) {
            out.printf(Locale.ROOT, "  account %s swept (%d/%d) at %.1f s: so far %,d tables, wall/table %.1f ms,"
                            + " warden CPU/table %.2f ms%n", account, accountsDone.incrementAndGet(), accounts, wallS,
                    sweptSoFar, wallS * 1000 / sweptSoFar, cpuMs / sweptSoFar);
            out.flush();
        }
    }
}
