package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.config.RemediationMode;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.ledger.SweepCounts;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.TimeBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The scheduled sweep's work on one page of one region's tables: every registered check on every
 * table, through the same pipeline, checks and fixes as the event path, so there is one definition of
 * compliance. A page stops early, and says where to resume, before the time budget runs out.
 */
public final class Sweeper {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    /** Tables per page: small enough that a page of fixes ends well inside one invocation. */
    public static final int PAGE_SIZE = 25;
    /** Time kept for the page's bookkeeping after the last table. */
    private static final Duration PER_TABLE_RESERVE = Duration.ofSeconds(5);
    private static final String ALREADY_HANDLED = "ALREADY_HANDLED";

    private final Services services;
    private final Ledger ledger;
    private final AlertPublisher publisher;
    /** The sweep's pipelines for each account's settings (SETTINGS_OVERRIDES), keyed by the settings object. */
    private final Map<Settings, Pipelines> byAccount = new IdentityHashMap<>();

    /** Every rule's pipeline in an account's settings, and in the same settings as report-only. */
    private record Pipelines(List<Pipeline> remediating, List<Pipeline> reporting) {
    }

    public Sweeper(Services services) {
        this(services, Spine.ledger(services), Spine.publisher(services));
    }

    Sweeper(Services services, Ledger ledger, AlertPublisher publisher) {
        this.services = services;
        this.ledger = ledger;
        this.publisher = publisher;
        pipelinesFor(services.settings());
    }

    private synchronized Pipelines pipelinesFor(Settings settings) {
        return byAccount.computeIfAbsent(settings, s -> new Pipelines(pipelines(services, s, ledger, publisher),
                pipelines(services, s.withMode(RemediationMode.NOTIFY), ledger, publisher)));
    }

    private static List<Pipeline> pipelines(Services services, Settings settings, Ledger ledger, AlertPublisher publisher) {
        // A rule that is off is not swept at all: no read, no result, no count.
        return Rules.all().stream()
                .filter(rule -> !settings.modeOf(rule.name()).off())
                .map(rule -> Spine.pipeline(rule, services, settings, ledger, publisher).forSweep(settings))
                .collect(Collectors.toList());
    }

    /**
     * Sweeps one page of {@code account}'s tables in {@code region}, after {@code startAfter}.
     *
     * @param reportOnly report what would be done and change nothing (the first sweep after installation)
     * @param maxFixes   fixes the whole sweep may make; past it the sweep reports and leaves the rest
     */
    public SweepPage page(String sweepId, String account, String region, Optional<String> startAfter, boolean reportOnly, int maxFixes,
                          TimeBudget budget) {
        Optional<String> from = startAfter.filter(name -> !name.isEmpty());
        if (!budget.allows(PER_TABLE_RESERVE)) {
            // A page that did nothing resumes where it was (an empty name: from the start), never ends the region.
            return new SweepPage(region, Optional.of(from.orElse("")), Map.of(), List.of());
        }
        DynamoDbClient dynamo = services.regional().in(account, region);
        // The account's own settings decide for its tables, as they do for its calls.
        Pipelines pipelines = pipelinesFor(services.settingsFor(account));
        ListTablesResponse listed = dynamo.listTables(r -> r.limit(PAGE_SIZE).exclusiveStartTableName(from.orElse(null)));
        Map<String, Integer> counts = new TreeMap<>();
        List<Result> results = new ArrayList<>();
        if (from.isEmpty()) {
            sweepResources(pipelines, sweepId, region, reportOnly, budget, counts, results);
        }
        String last = from.orElse(null);
        for (String table : listed.tableNames()) {
            if (!budget.allows(PER_TABLE_RESERVE)) {
                LOG.info("sweep {} in {}: time budget nearly spent; resuming after {}", sweepId, region, last);
                return new SweepPage(region, Optional.ofNullable(last), counts, results);
            }
            Map<String, Integer> tableCounts = sweepTable(pipelines, sweepId, dynamo, region, table, reportOnly, maxFixes, budget,
                    results);
            // Counted in the ledger table by table, so a cap read by another region's page sees these fixes.
            ledger.addSweepCounts(sweepId, tableCounts);
            tableCounts.forEach((name, n) -> add(counts, name, n));
            last = table;
        }
        Optional<String> next = listed.lastEvaluatedTableName() == null ? Optional.empty() : Optional.ofNullable(last);
        return new SweepPage(region, next, counts, results);
    }

    /** Once per region, on its first page: what the rules watch besides tables (DAX clusters), alerted once per sweep. */
    private void sweepResources(Pipelines pipelines, String sweepId, String region, boolean reportOnly, TimeBudget budget,
                                Map<String, Integer> counts, List<Result> results) {
        Map<String, Integer> found = new TreeMap<>();
        for (Pipeline pipeline : reportOnly ? pipelines.reporting() : pipelines.remediating()) {
            try {
                for (Result result : pipeline.sweepResources(sweepId, region, budget)) {
                    // A look that failed names no resource: it is counted, and is no row of the report.
                    if (!ResourceAlerts.LOOK_FAILED.equals(result.action())) {
                        results.add(result);
                    }
                    add(found, result.rule() + ":" + region + ":" + result.action(), 1);
                    if (!result.severity().isEmpty()) {
                        add(found, "findings", 1);
                    }
                }
            } catch (RuntimeException e) {
                // An alert that could not be sent, as for a table: counted, and the region's tables are swept still.
                LOG.warn("sweep could not report other resources in {}: {}", region, e.getMessage());
                add(found, "failed", 1);
            }
        }
        if (!found.isEmpty()) {
            ledger.addSweepCounts(sweepId, found);
        }
        found.forEach((name, n) -> add(counts, name, n));
    }

    private Map<String, Integer> sweepTable(Pipelines pipelines, String sweepId, DynamoDbClient dynamo, String region, String table,
                                            boolean reportOnly, int maxFixes, TimeBudget budget, List<Result> results) {
        Map<String, Integer> counts = new TreeMap<>();
        // A slot under the cap is reserved before the table is looked at, so regions swept at the same
        // time never fix more than the cap between them; a table that needed no fix gives its slot back.
        boolean reserved = !reportOnly && ledger.reserveSweepFix(sweepId, maxFixes);
        boolean capped = !reportOnly && !reserved;
        try {
            ApiCall call = ApiCall.sweep(sweepId, region, accountOf(dynamo, table), table, services.clock().instant());
            boolean fresh = false;
            for (Pipeline pipeline : reportOnly || capped ? pipelines.reporting() : pipelines.remediating()) {
                for (Result result : pipeline.process(call, NullNode.getInstance(), 0, budget)) {
                    results.add(result);
                    fresh |= !ALREADY_HANDLED.equals(result.action());
                    add(counts, result.rule() + ":" + region + ":" + result.action(), 1);
                    if (Outcome.Action.FIXED.name().equals(result.action()) || Outcome.Action.TAGGED.name().equals(result.action())) {
                        add(counts, "fixed", 1);
                    }
                    if (!result.severity().isEmpty()) {
                        add(counts, "findings", 1);
                        if (capped && Outcome.Action.NOT_FIXED_NOTIFY_MODE.name().equals(result.action())) {
                            add(counts, "capped", 1);
                        }
                    }
                }
            }
            if (fresh) {
                add(counts, "seen", 1);
            }
        } catch (RuntimeException e) {
            // One table that cannot be handled (gone, refused, still moving) must not stop the region.
            LOG.warn("sweep could not handle {} in {}: {}", table, region, e.getMessage());
            add(counts, "failed", 1);
        }
        if (reserved && counts.getOrDefault("fixed", 0) == 0) {
            ledger.releaseSweepFix(sweepId);
        }
        return counts;
    }

    private static String accountOf(DynamoDbClient dynamo, String table) {
        String arn = dynamo.describeTable(r -> r.tableName(table)).table().tableArn();
        return arn.split(":")[4];
    }

    private static void add(Map<String, Integer> counts, String name, int n) {
        counts.merge(name, n, Integer::sum);
    }

    /** Whether the sweep should only report: forced, or the first sweep since installation. */
    public boolean reportOnly(boolean forced) {
        return forced || !ledger.hasSwept();
    }

    public Map<String, Integer> totals(String sweepId) {
        return ledger.sweepCounts(sweepId);
    }

    public void finish(String sweepId) {
        ledger.markSwept(sweepId);
    }

    public SweepCounts ledger() {
        return ledger;
    }

    /** A check the sweep runs, for the report's header. */
    public static List<String> rules() {
        return Rules.all().stream().map(Rule::name).collect(Collectors.toList());
    }
}
