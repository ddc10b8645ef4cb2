package dev.ddbwarden.local;

import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.alert.LogAlertPublisher;
import dev.ddbwarden.alert.SnsAlertPublisher;
import dev.ddbwarden.alert.SweepSummary;
import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.Lazy;
import dev.ddbwarden.handler.AccountRegions;
import dev.ddbwarden.handler.Result;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.SweepPage;
import dev.ddbwarden.handler.Sweeper;
import dev.ddbwarden.state.TimeBudget;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduled sweep's logic, run in one process: what the state machine does with SweepRegionFunction (walk each
 * region of each account page by page with {@link Sweeper#page}, each account reporting only in its first sweep and
 * fixing at most its own cap, one account's failure counted and the others swept still, then one summary), without
 * Step Functions. Up to {@code parallelism} (account, region) walks run at once, as the state machine's map runs
 * them; the cap holds across them because each table reserves its slot in the ledger first. Used by
 * {@code ./warden sweep}, the integration tests and bench/sweep.
 */
public final class LocalSweep {
    /** Time one page may take: far more than a page of 25 tables needs, so no page is cut short. */
    static final Duration PAGE_BUDGET = Duration.ofMinutes(10);
    /** Attempts at one page: a page that threw is run again from the same token (the ledger dedupes). */
    static final int PAGE_ATTEMPTS = 3;

    private final Services services;
    private final Sweeper sweeper;
    private final AlertPublisher publisher;
    private final int parallelism;
    private final Lazy<AccountRegions> accountRegions;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** Told of each page as it ends, from the thread that swept it. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void started(String sweepId, boolean reportOnly, List<String> regions) {
        }

        default void page(SweepPage page) {
        }

        default void pageRetried(String region, Optional<String> startAfter, RuntimeException error) {
        }

        default void regionFailed(String region, RuntimeException error) {
        }

        default void finished(Outcome outcome) {
        }
    }

    /** One result of one check on one table, as the report lists it. */
    public record Row(String region, String table, String arn, String rule, String severity, String action, String alert) {
        static Row of(Result result) {
            String arn = result.table();
            String[] parts = arn.split(":", 6);
            String region = parts.length > 3 ? parts[3] : "";
            int slash = arn.indexOf(":table/");
            String table = slash < 0 ? arn : arn.substring(slash + ":table/".length());
            return new Row(region, table, arn, result.rule(), result.severity(), result.action(), result.alert());
        }
    }

    /**
     * What a sweep did.
     *
     * @param reportOnly    whether it only reported, and {@code reportOnlyWhy} why
     * @param totals        the sweep's counts ({@code seen}, {@code findings}, {@code fixed}, {@code failed},
     *                      {@code capped}, {@code rule:region:ACTION}), as the summary alert gives them
     * @param failedRegions regions whose walk stopped on an error, with the error, by {@code ACCOUNT/REGION}
     * @param cpu           CPU time of the sweeping threads (ddb-warden's own work, not the endpoint's)
     * @param summarySent   the summary alert's message ID, or empty when nothing was worth one
     * @param accountIds    the accounts swept, the home one first
     */
    public record Outcome(String sweepId, boolean reportOnly, String reportOnlyWhy, List<String> regions, List<Row> rows,
                          Map<String, Integer> totals, Map<String, String> failedRegions, int pages, Duration cpu,
                          Duration wall, Optional<String> summarySent, List<String> accountIds) {
        /** How many accounts were swept. */
        public int accounts() {
            return accountIds.size();
        }

        public int failed() {
            return totals.getOrDefault("failed", 0);
        }

        public int total(String name) {
            return totals.getOrDefault(name, 0);
        }
    }

    public LocalSweep(Services services, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.services = services;
        this.sweeper = new Sweeper(services);
        // The publisher the handlers use: the alert topic, or the log when ALERT_TOPIC_ARN is unset.
        this.publisher = services.settings().hasAlertTopic()
                ? new SnsAlertPublisher(services.sns(), services.settings().alertTopicArn())
                : new LogAlertPublisher();
        this.parallelism = parallelism;
        this.accountRegions = Lazy.of(() -> AccountRegions.standard(services.homeRegion()));
    }

    public Sweeper sweeper() {
        return sweeper;
    }

    /**
     * Sweeps every table of {@code regions}, sends the summary when it is worth sending, and marks the
     * sweep finished (so that the next one may fix, if this one only reported).
     *
     * @param forceReportOnly only report even if a sweep has finished before
     * @param maxFixes        fixes the whole sweep may make
     */
    public Outcome run(List<String> regions, boolean forceReportOnly, int maxFixes, Listener listener)
            throws InterruptedException {
        return run(List.of(homeAccount()), regions, forceReportOnly, maxFixes, listener);
    }

    /**
     * Sweeps every table of {@code regions} in each of {@code accounts} (the cap {@code maxFixes} is each account's),
     * sends the summary when it is worth sending; an account whose walk fails is counted and the others go on.
     */
    public Outcome run(List<String> accounts, List<String> regions, boolean forceReportOnly, int maxFixes, Listener listener)
            throws InterruptedException {
        return run(accounts, regions, true, forceReportOnly, maxFixes, listener);
    }

    /**
     * As {@link #run(List, List, boolean, int, Listener)}; unless {@code regionsConfigured}, each account walks those of
     * {@code regions} enabled in it, as the state machine's first state of each account's child execution decides
     * ({@link AccountRegions}).
     */
    public Outcome run(List<String> accounts, List<String> regions, boolean regionsConfigured, boolean forceReportOnly,
                       int maxFixes, Listener listener) throws InterruptedException {
        Instant start = Instant.now();
        long ownCpu = threads.getCurrentThreadCpuTime();
        String sweepId = start + "-local-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Boolean> reportsOnly = new LinkedHashMap<>();
        for (String account : accounts) {
            reportsOnly.put(account, sweeper.reportOnlyIn(sweepId, account, forceReportOnly));
        }
        boolean reportOnly = reportsOnly.values().stream().allMatch(Boolean::booleanValue);
        String why = !reportOnly ? "" : forceReportOnly
                ? "asked for (--report-only or SWEEP_REPORT_ONLY=true)"
                : !services.settings().hasLedger()
                ? "LEDGER_TABLE is not set: without a ledger every sweep is the first after installation"
                : "the first sweep of " + (accounts.size() == 1 ? "the account" : "every account") + ": the ledger records no earlier sweep";
        listener.started(sweepId, reportOnly, regions);

        AtomicLong cpu = new AtomicLong();
        Map<String, RegionWalk> walks = new LinkedHashMap<>();
        int threadCount = Math.min(parallelism, Math.max(1, accounts.size() * regions.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threadCount, runnable -> {
            Thread thread = new Thread(runnable, "sweep-" + sweepId.substring(sweepId.length() - 8));
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Future<RegionWalk>> futures = new LinkedHashMap<>();
            for (String account : accounts) {
                for (String region : accountRegions.get().of(account, regions, regionsConfigured)) {
                    futures.put(account + "/" + region, pool.submit(() -> {
                        long before = threads.getCurrentThreadCpuTime();
                        try {
                            return walk(sweepId, account, region, reportsOnly.get(account), maxFixes, listener);
                        } finally {
                            cpu.addAndGet(threads.getCurrentThreadCpuTime() - before);
                        }
                    }));
                }
            }
            for (Map.Entry<String, Future<RegionWalk>> future : futures.entrySet()) {
                try {
                    walks.put(future.getKey(), future.getValue().get());
                } catch (ExecutionException e) {
                    // walk() catches what a page throws; anything else is a bug in this runner.
                    throw new IllegalStateException("sweeping " + future.getKey() + " failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<Row> rows = new ArrayList<>();
        Map<String, Integer> totals = new TreeMap<>();
        Map<String, String> failedRegions = new TreeMap<>();
        int pages = 0;
        for (RegionWalk walk : walks.values()) {
            rows.addAll(walk.rows);
            walk.counts.forEach((name, n) -> totals.merge(name, n, Integer::sum));
            pages += walk.pages;
            walk.error.ifPresent(e -> {
                // The rest of that region was not swept: a failure the summary and the exit status must show.
                failedRegions.put(walk.account + "/" + walk.region, String.valueOf(e.getMessage()));
                sweeper.regionFailed(sweepId, walk.account, walk.region, String.valueOf(e.getMessage()))
                        .forEach((name, n) -> totals.merge(name, n, Integer::sum));
            });
        }
        Optional<String> sent = Optional.empty();
        if (SweepSummary.worthSending(totals)) {
            sent = Optional.of(publisher.publish(SweepSummary.compose(sweepId, totals, reportOnly, homeAccount(),
                    services.homeRegion())));
        }
        cpu.addAndGet(threads.getCurrentThreadCpuTime() - ownCpu);
        Outcome outcome = new Outcome(sweepId, reportOnly, why, List.copyOf(regions), Collections.unmodifiableList(rows),
                Collections.unmodifiableMap(totals), Collections.unmodifiableMap(failedRegions), pages,
                Duration.ofNanos(cpu.get()), Duration.between(start, Instant.now()), sent, List.copyOf(accounts));
        listener.finished(outcome);
        return outcome;
    }

    /** One region, page by page until ListTables has no more, each page retried from its token on an error. */
    private RegionWalk walk(String sweepId, String account, String region, boolean reportOnly, int maxFixes, Listener listener)
            throws InterruptedException {
        RegionWalk walk = new RegionWalk(account, region);
        Optional<String> token = Optional.empty();
        do {
            SweepPage page = null;
            for (int attempt = 1; page == null; attempt++) {
                try {
                    page = sweeper.page(sweepId, account, region, token, reportOnly, maxFixes,
                            TimeBudget.of(services.clock(), PAGE_BUDGET, Duration.ZERO));
                } catch (RuntimeException e) {
                    if (attempt >= PAGE_ATTEMPTS) {
                        listener.regionFailed(account + "/" + region, e);
                        walk.error = Optional.of(e);
                        return walk;
                    }
                    listener.pageRetried(region, token, e);
                    Thread.sleep(1000L * attempt);
                }
            }
            walk.pages++;
            page.results().forEach(result -> walk.rows.add(Row.of(result)));
            page.counts().forEach((name, n) -> walk.counts.merge(name, n, Integer::sum));
            listener.page(page);
            token = page.nextToken();
        } while (token.isPresent());
        return walk;
    }

    /** The account the local stack was deployed in, which its alert topic's ARN names: the one it sweeps. */
    private String homeAccount() {
        return homeAccount(services);
    }

    static String homeAccount(Services services) {
        String[] parts = services.settings().alertTopicArn().split(":");
        return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : AccountAccess.instance().homeAccount();
    }

    private static final class RegionWalk {
        final String account;
        final String region;
        final List<Row> rows = new ArrayList<>();
        final Map<String, Integer> counts = new TreeMap<>();
        int pages;
        Optional<RuntimeException> error = Optional.empty();

        RegionWalk(String account, String region) {
            this.account = account;
            this.region = region;
        }
    }
}
