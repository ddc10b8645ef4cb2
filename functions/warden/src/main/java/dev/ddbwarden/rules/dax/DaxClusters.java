package dev.ddbwarden.rules.dax;

import java.util.List;
import java.util.Optional;

/** DAX's DescribeClusters in one region: one cluster by name, or every cluster. */
@FunctionalInterface
interface DaxClusters {

    /** The clusters of {@code region}: the one called {@code name} (none when it is gone), or all of them. */
    List<DaxCluster> describe(String region, Optional<String> name);
}
