package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.config.AccountAccess;
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
import java.util.function.Predicate;
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
    private static final String COMPLIANT = "COMPLIANT";
    /** The count of an account's regions the sweep refused, because ddb-warden may not act there. */
    public static final String ACCOUNT_REFUSED = "ACCOUNT_REFUSED";
    /** The count of an account's regions whose walk stopped on an error. */
    public static final String PAGE_FAILED = "PAGE_FAILED";

    private final Services services;
    private final Ledger ledger;
    private final AlertPublisher publisher;
    private final Predicate<String> mayActIn;
    /** The sweep's pipelines for each account's settings (SETTINGS_OVERRIDES), keyed by the settings object. */
    private final Map<Settings, Pipelines> byAccount = new IdentityHashMap<>();

    /** Every rule's pipeline in an account's settings, and in the same settings as report-only. */
    private record Pipelines(List<Pipeline> remediating, List<Pipeline> reporting) {
    }

    public Sweeper(Services services) {
        this(services, Spine.ledger(services), Spine.publisher(services), account -> AccountAccess.instance().mayActIn(account));
    }

    /** @param mayActIn whether ddb-warden may act in an account ({@link AccountAccess#mayActIn}) */
    Sweeper(Services services, Ledger ledger, AlertPublisher publisher, Predicate<String> mayActIn) {
        this.services = services;
        this.ledger = ledger;
        this.publisher = publisher;
        this.mayActIn = mayActIn;
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
     * @param maxFixes   fixes the sweep may make in {@code account}; past it the sweep reports and leaves the rest
     */
    public SweepPage page(String sweepId, String account, String region, Optional<String> startAfter, boolean reportOnly, int maxFixes,
                          TimeBudget budget) {
        if (!mayActIn.test(account)) {
            // Never swept with the wrong account's credentials: with no member role, only the home account is ours.
            LOG.warn("sweep {} refuses account {} in {}: ddb-warden may not act there (not a 12-digit account ID, or"
                    + " another account while MEMBER_ROLE_NAME is empty)", sweepId, account, region);
            Map<String, Integer> refused = Map.of("failed", 1, "sweep:" + account + ":" + ACCOUNT_REFUSED, 1);
            ledger.addSweepCounts(sweepId, refused);
            return new SweepPage(region, Optional.empty(), refused, List.of());
        }
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
            if (reportOnly) {
                // Regions of the account that only reported, so the summary names the accounts in their first sweep.
                ledger.addSweepCounts(sweepId, Map.of(reportOnlyKey(account), 1));
                counts.put(reportOnlyKey(account), 1);
            }
            sweepResources(pipelines, sweepId, account, region, reportOnly, budget, counts, results);
        }
        String last = from.orElse(null);
        for (String table : listed.tableNames()) {
            if (!budget.allows(PER_TABLE_RESERVE)) {
                LOG.info("sweep {} in {}: time budget nearly spent; resuming after {}", sweepId, region, last);
                closeCompliant(results);
                return new SweepPage(region, Optional.ofNullable(last), counts, results);
            }
            Map<String, Integer> tableCounts = sweepTable(pipelines, sweepId, account, dynamo, region, table, reportOnly, maxFixes,
                    budget, results);
            // Counted in the ledger table by table, so a cap read by another region's page sees these fixes.
            ledger.addSweepCounts(sweepId, tableCounts);
            tableCounts.forEach((name, n) -> add(counts, name, n));
            last = table;
        }
        closeCompliant(results);
        Optional<String> next = listed.lastEvaluatedTableName() == null ? Optional.empty() : Optional.ofNullable(last);
        if (next.isEmpty()) {
            // Walked to its end: the account's next sweep may fix (this sweep keeps the answer its first page pinned).
            ledger.markSwept(sweepId, account);
        }
        return new SweepPage(region, next, counts, results);
    }

    /**
     * Once per account and region, on its first page: what the rules watch besides tables (DAX clusters, IAM users), read
     * in that account, alerted once per sweep.
     */
    private void sweepResources(Pipelines pipelines, String sweepId, String account, String region, boolean reportOnly,
                                TimeBudget budget, Map<String, Integer> counts, List<Result> results) {
        Map<String, Integer> found = new TreeMap<>();
        for (Pipeline pipeline : reportOnly ? pipelines.reporting() : pipelines.remediating()) {
            try {
                for (Result result : pipeline.sweepResources(sweepId, account, region, budget)) {
                    // A look that failed names no resource: it is counted under its account and region, and is no row
                    // of the report.
                    boolean failed = ResourceAlerts.LOOK_FAILED.equals(result.action());
                    if (!failed) {
                        results.add(result);
                    }
                    add(found, result.rule() + ":" + (failed ? result.table() : region) + ":" + result.action(), 1);
                    if (!result.severity().isEmpty()) {
                        add(found, "findings", 1);
                    }
                }
            } catch (RuntimeException e) {
                // An alert that could not be sent, as for a table: counted, and the region's tables are swept still.
                LOG.warn("sweep could not report other resources in account {} region {}: {}", account, region, e.getMessage());
                add(found, "failed", 1);
            }
        }
        if (!found.isEmpty()) {
            ledger.addSweepCounts(sweepId, found);
        }
        found.forEach((name, n) -> add(counts, name, n));
    }

    private Map<String, Integer> sweepTable(Pipelines pipelines, String sweepId, String account, DynamoDbClient dynamo, String region,
                                            String table,
                                            boolean reportOnly, int maxFixes, TimeBudget budget, List<Result> results) {
        Map<String, Integer> counts = new TreeMap<>();
        // A slot under the account's cap is reserved before the table is looked at, so its regions swept at the same
        // time never fix more than the cap between them; a table that needed no fix gives its slot back.
        boolean reserved = !reportOnly && ledger.reserveSweepFix(sweepId, account, maxFixes);
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
            ledger.releaseSweepFix(sweepId, account);
        }
        return counts;
    }

    /** The rules' findings on the tables they found compliant are closed (Security Hub), a page at a time. */
    private void closeCompliant(List<Result> results) {
        List<AlertPublisher.Compliant> compliant = results.stream().filter(r -> COMPLIANT.equals(r.action()))
                .map(r -> AlertPublisher.Compliant.table(r.rule(), r.table())).toList();
        if (!compliant.isEmpty()) {
            publisher.compliant(compliant);
        }
    }

    private static String accountOf(DynamoDbClient dynamo, String table) {
        String arn = dynamo.describeTable(r -> r.tableName(table)).table().tableArn();
        return arn.split(":")[4];
    }

    private static void add(Map<String, Integer> counts, String name, int n) {
        counts.merge(name, n, Integer::sum);
    }

    /**
     * Whether the sweep only reports in {@code account}: forced, or the account's first sweep (no earlier sweep walked
     * a region of it to the end). Decided by the sweep's first page there and kept for all its others.
     */
    public boolean reportOnlyIn(String sweepId, String account, boolean forced) {
        return ledger.pinReportOnly(sweepId, account, forced || !ledger.hasSwept(account));
    }

    /**
     * Counts a region of {@code account} whose walk stopped on an error (the state machine's retries spent), so the
     * summary names it; the others are swept still.
     */
    public Map<String, Integer> regionFailed(String sweepId, String account, String region, String error) {
        LOG.warn("sweep {} could not walk {} in account {} to its end: {}", sweepId, region, account, error);
        Map<String, Integer> failed = Map.of("failed", 1, failedKey(account, region), 1);
        ledger.addSweepCounts(sweepId, failed);
        return failed;
    }

    /** The count of an account's regions that only reported: {@code sweep:ACCOUNT:REPORT_ONLY}. */
    public static String reportOnlyKey(String account) {
        return "sweep:" + account + ":REPORT_ONLY";
    }

    /** The summary's name for a region of an account that failed: {@code sweep:ACCOUNT/REGION:PAGE_FAILED}. */
    public static String failedKey(String account, String region) {
        return "sweep:" + account + "/" + region + ":" + PAGE_FAILED;
    }

    public Map<String, Integer> totals(String sweepId) {
        return ledger.sweepCounts(sweepId);
    }

    public SweepCounts ledger() {
        return ledger;
    }

    /** A check the sweep runs, for the report's header. */
    public static List<String> rules() {
        return Rules.all().stream().map(Rule::name).collect(Collectors.toList());
    }
}
