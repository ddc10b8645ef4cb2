package dev.ddbwarden.findings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.alert.Alert;
import dev.ddbwarden.alert.AlertFacts;
import dev.ddbwarden.alert.AlertPublisher;
import dev.ddbwarden.config.AccountAccess;
import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.metrics.WardenMetrics;
import dev.ddbwarden.state.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Files each alert's finding in Security Hub, in the account and region of the resource, then sends the alert on.
 * The alert is never held back for Security Hub: whatever Security Hub answers, the alert goes out, and when the
 * finding could not be filed (Security Hub not enabled there, refused, unreachable) the alert's text says so. A fix
 * files the finding twice, FAILED and ACTIVE then PASSED and ARCHIVED under the same Id, so Security Hub's history
 * shows both the violation and its end.
 */
public final class SecurityHubPublisher implements AlertPublisher {
    /** The setting (template parameter SecurityHubFindings): {@code true} files findings; default {@code false}. */
    public static final String SECURITY_HUB_FINDINGS = EnvVar.SECURITY_HUB_FINDINGS;
    private static final Logger LOG = LoggerFactory.getLogger(SecurityHubPublisher.class);
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private final AlertPublisher next;
    private final SecurityHubImports imports;
    private final Clock clock;
    private final String homeRegion;

    /** @param homeRegion where findings on global resources (IAM, Organizations) are filed */
    SecurityHubPublisher(AlertPublisher next, SecurityHubImports imports, Clock clock, String homeRegion) {
        this.next = next;
        this.imports = imports;
        this.clock = clock;
        this.homeRegion = homeRegion;
    }

    /**
     * The region a finding on {@code resourceArn} is filed in: the resource's own; for a global resource (an ARN that
     * names no region: an IAM user, an Organizations policy) the home region, whatever region the event came from.
     * Security Hub keeps findings per region, so an event's finding and the sweep's closing of it (which reads IAM in
     * the home region) meet only in one region.
     */
    String filedIn(String resourceArn, String region) {
        String[] arn = resourceArn.split(":", 6);
        return arn.length == 6 && arn[3].isEmpty() ? homeRegion : region;
    }

    /** Whether findings go to Security Hub: the setting, {@code true} or {@code false} (unset: false). */
    public static boolean enabled(Settings settings) {
        return settings.optIn(SECURITY_HUB_FINDINGS);
    }

    /** {@code next} with findings filed first, in each account with the credentials AccountAccess gives there. */
    public static AlertPublisher around(AlertPublisher next, Clock clock, Sleeper sleeper, String homeRegion) {
        FindingsApi api = new SecurityHubApi(Clients.http(), account -> AccountAccess.instance().credentials(account));
        return new SecurityHubPublisher(next, new SecurityHubImports(api, clock, sleeper,
                metric -> WardenMetrics.instance().addMetric(metric, 1, MetricUnit.COUNT)), clock, homeRegion);
    }

    @Override
    public String publish(Alert alert) {
        if (alert.facts().isEmpty()) {
            return next.publish(alert);
        }
        AlertFacts facts = alert.facts().get();
        facts = facts.inRegion(filedIn(facts.resourceArn(), facts.region()));
        Instant now = clock.instant();
        SecurityHubImports.Report report;
        try {
            report = imports.importAll(facts.accountId(), facts.region(), List.of(Asff.finding(facts, false, now)));
            if (facts.resolved() && report.complete()) {
                // A later UpdatedAt, so that Security Hub keeps the resolution as the finding's last word.
                report = imports.importAll(facts.accountId(), facts.region(),
                        List.of(Asff.finding(facts, true, now.plus(Duration.ofMillis(1)))));
            }
        } catch (RuntimeException e) {
            LOG.error("filing the finding for {} in Security Hub failed: {}", facts.resourceArn(), e.getMessage());
            report = new SecurityHubImports.Report(0, 1, 0, false, String.valueOf(e.getMessage()));
        }
        return next.publish(report.complete() ? alert : noted(alert, facts, report));
    }

    @Override
    public void compliant(List<Compliant> found) {
        Map<String, List<ObjectNode>> byPlace = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (Compliant each : found) {
            String[] arn = each.resourceArn().split(":", 6);
            if (arn.length < 6 || !each.accountId().matches("\\d{12}") || !REGION.matcher(each.region()).matches()) {
                LOG.warn("no account or region to file in, no finding closed: {}", each.resourceArn());
                continue;
            }
            String region = filedIn(each.resourceArn(), each.region());
            byPlace.computeIfAbsent(each.accountId() + ":" + region, k -> new ArrayList<>())
                    .add(Asff.compliant(each.rule(), each.resourceKind(), each.resourceArn(), arn[1], region,
                            each.accountId(), now));
        }
        byPlace.forEach((place, findings) -> {
            String[] accountRegion = place.split(":", 2);
            try {
                imports.importAll(accountRegion[0], accountRegion[1], findings);
            } catch (RuntimeException e) {
                LOG.error("closing findings in Security Hub in {} failed: {}", place, e.getMessage());
            }
        });
        next.compliant(found);
    }

    private static Alert noted(Alert alert, AlertFacts facts, SecurityHubImports.Report report) {
        String why = report.notEnabled()
                ? "Security Hub is not enabled in account " + facts.accountId() + " region " + facts.region()
                        + " (or refuses ddb-warden there), so this finding is not in Security Hub. Enable Security Hub"
                        + " there (see docs/security-hub.md) to have it filed."
                : "ddb-warden could not file this finding in Security Hub (account " + facts.accountId() + ", region "
                        + facts.region() + "): " + (report.problem().isEmpty() ? report.failed() + " finding(s) refused"
                        : Excerpt.line(report.problem(), 1024)) + ". The function's log says why.";
        return new Alert(alert.subject(), alert.body() + "\nSecurity Hub\n  " + why + "\n", alert.attributes(), alert.facts());
    }
}
