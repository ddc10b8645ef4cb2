package dev.ddbwarden.alert;

import dev.ddbwarden.event.Excerpt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The one alert a sweep sends when something changed or failed: what it saw, fixed and left, by rule and region. */
public final class SweepSummary {
    private SweepSummary() {
    }

    /** Whether the totals are worth a person's attention. */
    public static boolean worthSending(Map<String, Integer> totals) {
        return totals.getOrDefault("findings", 0) > 0 || totals.getOrDefault("failed", 0) > 0
                || totals.getOrDefault("capped", 0) > 0;
    }

    public static Alert compose(String sweepId, Map<String, Integer> totals, boolean reportOnly, String account,
                                String region) {
        int failed = totals.getOrDefault("failed", 0);
        String severity = failed > 0 || totals.getOrDefault("capped", 0) > 0 ? "MEDIUM" : "LOW";
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("severity", severity);
        attributes.put("rule", "sweep");
        attributes.put("account", account);
        attributes.put("region", region);
        String subject = "[" + severity + "] ddb-warden sweep: " + totals.getOrDefault("seen", 0) + " tables, "
                + totals.getOrDefault("fixed", 0) + " fixed, " + failed + " failed" + (reportOnly ? " (report only)" : "");
        StringBuilder body = new StringBuilder();
        body.append("The scheduled sweep ").append(Excerpt.line(sweepId))
                .append(" looked at every table no event announced.\n");
        if (reportOnly) {
            body.append("It only reported: this was the first sweep since installation, or sweeps are set to report"
                    + " only (SWEEP_REPORT_ONLY). Each finding below was alerted with what ddb-warden would do.\n");
        }
        body.append("\n  Tables seen: ").append(totals.getOrDefault("seen", 0))
                .append("\n  Findings: ").append(totals.getOrDefault("findings", 0))
                .append("\n  Fixed: ").append(totals.getOrDefault("fixed", 0))
                .append("\n  Failed: ").append(failed)
                .append("\n  Left unfixed past the cap (SWEEP_MAX_FIXES): ").append(totals.getOrDefault("capped", 0))
                .append("\n\nBy rule, region and outcome\n");
        body.append(totals.entrySet().stream()
                .filter(e -> e.getKey().contains(":"))
                .map(e -> "  " + Excerpt.line(e.getKey().replace(":", "  ")) + "  " + e.getValue())
                .collect(Collectors.joining("\n")));
        body.append("\n\nEach finding had its own alert. Failed tables are retried by the next sweep; the function's"
                + " log says why each failed.\n");
        return new Alert(subject, body.toString(), attributes);
    }
}
