package dev.ddbwarden.ledger;

import java.util.Map;

/** A sweep's totals, its shared cap on fixes, and whether any sweep has finished here. */
public interface SweepCounts {

    /** Adds a sweep page's counts (tables seen, fixed, ... by rule and region) to the sweep's totals. */
    void addSweepCounts(String sweepId, Map<String, Integer> counts);

    /** The sweep's totals so far. */
    Map<String, Integer> sweepCounts(String sweepId);

    /**
     * Reserves one fix under the sweep's cap; false when {@code max} are taken. Atomic, so branches of
     * a sweep running at the same time share one cap.
     */
    boolean reserveSweepFix(String sweepId, int max);

    /** Gives back a reservation that made no fix. */
    void releaseSweepFix(String sweepId);

    /** Whether a sweep has ever finished here: the first one after installation only reports. */
    boolean hasSwept();

    void markSwept(String sweepId);
}
