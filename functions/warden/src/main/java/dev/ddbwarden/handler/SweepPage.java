package dev.ddbwarden.handler;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one page of a sweep did.
 *
 * @param nextToken the name to resume after (ListTables' ExclusiveStartTableName); empty when the region is done
 * @param counts    outcomes counted by name ({@code seen}, {@code fixed}, {@code rule:region:ACTION}, ...)
 * @param results   every table's result, for the local runner's report
 */
public record SweepPage(String region, Optional<String> nextToken, Map<String, Integer> counts, List<Result> results) {
    public SweepPage {
        counts = Map.copyOf(counts);
        results = List.copyOf(results);
    }
}
