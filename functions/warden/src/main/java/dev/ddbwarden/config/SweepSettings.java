package dev.ddbwarden.config;

import java.util.function.Function;

/**
 * The sweep's own settings.
 *
 * @param reportOnly every sweep only reports (the first after installation always does)
 * @param maxFixes   fixes one sweep may make before it only reports what it left
 */
public record SweepSettings(boolean reportOnly, int maxFixes) {
    /** Whether sweeps only report: {@code true} or {@code false}. */
    public static final String SWEEP_REPORT_ONLY = "SWEEP_REPORT_ONLY";
    /** Fixes one sweep may make. */
    public static final String SWEEP_MAX_FIXES = "SWEEP_MAX_FIXES";
    private static final int DEFAULT_MAX_FIXES = 50;

    public static SweepSettings from(Function<String, String> env) {
        String reportOnly = env.apply(SWEEP_REPORT_ONLY);
        if (reportOnly != null && !reportOnly.isBlank() && !reportOnly.trim().matches("(?i)true|false")) {
            throw new ConfigException(SWEEP_REPORT_ONLY, "'" + reportOnly + "' is not true or false");
        }
        String max = env.apply(SWEEP_MAX_FIXES);
        int maxFixes = DEFAULT_MAX_FIXES;
        if (max != null && !max.isBlank()) {
            try {
                maxFixes = Integer.parseInt(max.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(SWEEP_MAX_FIXES, "'" + max + "' is not a whole number");
            }
            if (maxFixes < 0 || maxFixes > 10_000) {
                throw new ConfigException(SWEEP_MAX_FIXES, maxFixes + " is outside 0..10000");
            }
        }
        return new SweepSettings(Boolean.parseBoolean(reportOnly == null ? "false" : reportOnly.trim()), maxFixes);
    }
}
