package dev.ddbwarden.findings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.state.Backoff;
import dev.ddbwarden.state.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Imports findings within Security Hub's quotas: batches of at most 100 findings and 6 MB, at most 10 requests a second
 * per account and region (its sustained rate; the burst of 30 is left unused), backing off when throttled all the same.
 * Findings Security Hub does not take are logged with its reason, one line each. Security Hub not enabled in the
 * account and region stops the import there and says so; nothing here throws for Security Hub's sake.
 */
final class SecurityHubImports {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityHubImports.class);
    static final int MAX_BATCH = 100;
    /** 6 MB a batch, less room for the request's envelope. */
    static final int MAX_BATCH_BYTES = 6 * 1024 * 1024 - 1024;
    /** 10 requests a second per account and region. */
    static final Duration SPACING = Duration.ofMillis(100);
    static final int ATTEMPTS = 4;
    /** Metrics counted: Security Hub not enabled where a finding belongs, and findings not imported. */
    static final String NOT_ENABLED_METRIC = "SecurityHubNotEnabled";
    static final String FAILED_METRIC = "SecurityHubFindingsNotImported";

    private final FindingsApi api;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> count;
    private final Map<String, Instant> lastCall = new ConcurrentHashMap<>();

    /** @param count adds one to the metric it is given */
    SecurityHubImports(FindingsApi api, Clock clock, Sleeper sleeper, Consumer<String> count) {
        this.api = api;
        this.clock = clock;
        this.sleeper = sleeper;
        this.count = count;
    }

    /**
     * What became of an import.
     *
     * @param problem empty when every batch was answered; else why the rest was not imported
     */
    record Report(int imported, int failed, int requests, boolean notEnabled, String problem) {
        boolean complete() {
            return failed == 0 && problem.isEmpty();
        }
    }

    /** Imports {@code findings} (all of {@code account} and {@code region}) batch by batch, in order. */
    Report importAll(String account, String region, List<ObjectNode> findings) {
        int imported = 0;
        int failed = 0;
        int requests = 0;
        for (List<ObjectNode> batch : batches(findings)) {
            Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
            for (int attempt = 1; ; attempt++) {
                pace(account + "/" + region);
                requests++;
                try {
                    FindingsApi.Imported answer = api.batchImport(account, region, batch);
                    imported += answer.succeeded();
                    failed += answer.failed();
                    answer.failures().forEach(f -> LOG.warn("Security Hub did not take finding {} in {} {}: {} {}", f.id(),
                            account, region, f.errorCode(), f.errorMessage()));
                    if (answer.failed() > 0) {
                        count.accept(FAILED_METRIC);
                    }
                    break;
                } catch (FindingsApi.Refused e) {
                    if (e.notEnabled()) {
                        LOG.error("Security Hub is not enabled in account {} region {} (or refuses ddb-warden there): {};"
                                + " {} finding(s) not imported, the alert goes out all the same", account, region,
                                e.getMessage(), findings.size() - imported);
                        count.accept(NOT_ENABLED_METRIC);
                        return new Report(imported, failed, requests, true, e.getMessage());
                    }
                    if (!e.passing() || attempt == ATTEMPTS) {
                        return gaveUp(account, region, imported, failed, requests, e.getMessage());
                    }
                    waitToRetry(backoff, account, region, e.getMessage());
                } catch (IOException e) {
                    // A batch is safe to send again: an import of the same Id updates the finding, never adds one.
                    if (attempt == ATTEMPTS) {
                        return gaveUp(account, region, imported, failed, requests, String.valueOf(e.getMessage()));
                    }
                    waitToRetry(backoff, account, region, "no answer (" + e.getMessage() + ")");
                } catch (RuntimeException e) {
                    return gaveUp(account, region, imported, failed, requests, String.valueOf(e.getMessage()));
                }
            }
        }
        return new Report(imported, failed, requests, false, "");
    }

    private void waitToRetry(Backoff backoff, String account, String region, String why) {
        Duration wait = backoff.next();
        LOG.info("Security Hub import in {} {} not taken ({}); trying again in {} ms", account, region, why, wait.toMillis());
        sleeper.pause(wait, "for Security Hub to answer");
    }

    private Report gaveUp(String account, String region, int imported, int failed, int requests, String why) {
        LOG.error("importing findings into Security Hub in {} {} failed: {}", account, region, why);
        count.accept(FAILED_METRIC);
        return new Report(imported, failed, requests, false, why);
    }

    /** Waits until a tenth of a second has passed since the last request to this account and region. */
    private void pace(String key) {
        Instant now = clock.instant();
        Instant last = lastCall.get(key);
        if (last != null) {
            Duration since = Duration.between(last, now);
            if (since.compareTo(SPACING) < 0) {
                sleeper.pause(SPACING.minus(since), "for Security Hub's 10 requests a second");
                now = last.plus(SPACING);
            }
        }
        lastCall.put(key, now.isBefore(clock.instant()) ? clock.instant() : now);
    }

    /** The findings in order, cut into batches of at most {@link #MAX_BATCH} findings and {@link #MAX_BATCH_BYTES}. */
    static List<List<ObjectNode>> batches(List<ObjectNode> findings) {
        List<List<ObjectNode>> batches = new ArrayList<>();
        List<ObjectNode> batch = new ArrayList<>();
        long bytes = 0;
        for (ObjectNode finding : findings) {
            int size = Asff.bytes(finding) + 1;
            if (!batch.isEmpty() && (batch.size() == MAX_BATCH || bytes + size > MAX_BATCH_BYTES)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(finding);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }
}
