package dev.ddbwarden.local;

import dev.ddbwarden.handler.SweepPage;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep's progress on standard error: a bar redrawn in place on a terminal, else one line per page
 * (so that a log or CI output reads well). Pages end on several threads at once: every method is
 * synchronized.
 */
final class SweepProgress implements LocalSweep.Listener {
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final boolean bar;
    /** Tables counted before the sweep began, for the bar; tables created meanwhile may push past it. */
    private final int expected;
    private final Map<String, Integer> seenByRegion = new HashMap<>();
    private final Map<String, Integer> pagesByRegion = new HashMap<>();
    private int regions;
    private int regionsDone;
    private int seen;
    private int fixed;
    private int findings;
    private int failed;
    private int lastWidth;

    /**
     * @param bar      draw a bar in place (a terminal), else write a line per page
     * @param expected tables to expect, for the bar; ignored without it
     */
    SweepProgress(PrintStream err, boolean bar, int expected) {
        this.err = err;
        this.bar = bar;
        this.expected = expected;
    }

    @Override
    public synchronized void started(String sweepId, boolean reportOnly, List<String> regionList) {
        regions = regionList.size();
        err.println("sweep " + sweepId + (reportOnly ? " (report only)" : "") + ": " + regions + " region"
                + (regions == 1 ? "" : "s") + " (" + String.join(", ", regionList) + ")"
                + (bar ? ", " + expected + " tables" : ""));
        if (bar) {
            draw("");
        }
    }

    @Override
    public synchronized void page(SweepPage page) {
        String region = page.region();
        int tables = page.counts().getOrDefault("seen", 0);
        seen += tables;
        fixed += page.counts().getOrDefault("fixed", 0);
        findings += page.counts().getOrDefault("findings", 0);
        failed += page.counts().getOrDefault("failed", 0);
        int inRegion = seenByRegion.merge(region, tables, Integer::sum);
        int pageNumber = pagesByRegion.merge(region, 1, Integer::sum);
        if (page.nextToken().isEmpty()) {
            regionsDone++;
        }
        if (bar) {
            draw(region + " page " + pageNumber);
            return;
        }
        err.printf("sweep: %s page %d: %d tables (%d in %s, %d in all), %d findings, %d fixed, %d failed; %s%n",
                region, pageNumber, tables, inRegion, region, seen, page.counts().getOrDefault("findings", 0),
                page.counts().getOrDefault("fixed", 0), page.counts().getOrDefault("failed", 0),
                page.nextToken().map(t -> "next after '" + t + "'").orElse("region done (" + regionsDone + " of " + regions + ")"));
    }

    @Override
    public synchronized void pageRetried(String region, Optional<String> startAfter, RuntimeException error) {
        say("sweep: " + region + ": a page " + startAfter.map(t -> "after '" + t + "'").orElse("at the start")
                + " failed (" + error.getMessage() + "); trying it again");
    }

    @Override
    public synchronized void regionFailed(String region, RuntimeException error) {
        regionsDone++;
        say("sweep: " + region + ": gave up after " + LocalSweep.PAGE_ATTEMPTS + " attempts at one page ("
                + error + "); the rest of " + region + " was not swept");
    }

    @Override
    public synchronized void finished(LocalSweep.Outcome outcome) {
        if (bar) {
            draw("done");
            err.println();
        }
    }

    /** A line of its own, above the bar when there is one. */
    private void say(String line) {
        if (bar) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
        }
        err.println(line);
        if (bar) {
            draw("");
        }
    }

    private void draw(String where) {
        int total = Math.max(expected, seen);
        int filled = total == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * seen / total);
        String line = String.format("  [%s%s] %d/%d tables %3d%%  findings %d  fixed %d  failed %d  regions %d/%d  %s",
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), seen, total, total == 0 ? 100 : 100L * seen / total,
                findings, fixed, failed, regionsDone, regions, where);
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        err.flush();
        lastWidth = line.length();
    }
}
