package dev.ddbwarden.ledger;

import java.util.Map;

/**
 * A sweep's totals, its cap on fixes in each account, and which accounts a sweep has covered: in an Organization each
 * account's first sweep only reports, whatever the others have seen.
 */
public interface SweepCounts {

    /** Adds a sweep page's counts (tables seen, fixed, ... by rule and region) to the sweep's totals. */
    void addSweepCounts(String sweepId, Map<String, Integer> counts);

    /** The sweep's totals so far. */
    Map<String, Integer> sweepCounts(String sweepId);

    /**
     * Reserves one fix under the sweep's cap in {@code account}; false when {@code max} are taken there. Atomic, so
     * the account's regions swept at the same time share one cap, and one account's fixes never use another's.
     */
    boolean reserveSweepFix(String sweepId, String account, int max);

    /** Gives back a reservation that made no fix. */
    void releaseSweepFix(String sweepId, String account);

    /** Whether a sweep has ever walked a region of {@code account} to its end: the account's first sweep only reports. */
    boolean hasSwept(String account);

    void markSwept(String sweepId, String account);

    /**
     * Whether {@code sweepId} only reports in {@code account}: the first page of the sweep there records
     * {@code reportOnly}, and every later page of that sweep, in any region, gets the recorded answer, so an account
     * marked swept by one region's end part-way through its first sweep is not fixed in its other regions.
     */
    boolean pinReportOnly(String sweepId, String account, boolean reportOnly);
}
