package dev.ddbwarden.event;

import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which region names can be real. A record naming a region that does not exist is forged or damaged, and
 * acting on it would build a client for an endpoint that is not there and fail on every retry. Regions
 * that launch after this SDK must still pass, so a name passes when the SDK knows it or when one of the
 * SDK's partitions would name a region so (their {@code regionRegex}, such as
 * {@code ^(us|eu|ap|...)\-\w+\-\d+$}). The SDK's own {@code PartitionMetadata.of(Region)} cannot tell:
 * it answers the {@code aws} partition for any name at all.
 */
public final class RegionNames {
    /** Longer than twice the longest region name AWS has used; a longer one is not a name. */
    static final int MAX_LENGTH = 32;
    /** Region names are lower case: the partitions' patterns ({@code \w}) would let upper case through. */
    private static final Pattern CHARACTERS = Pattern.compile("[a-z0-9-]+");
    private static final Set<String> KNOWN = Region.regions().stream()
            .filter(region -> !region.isGlobalRegion())
            .map(Region::id)
            .collect(Collectors.toUnmodifiableSet());

    private RegionNames() {
    }

    /**
     * The partitions' patterns, read on first need only: the SDK's partition metadata comes with the
     * metadata of every service (about 30 ms of a cold start, bench/cold-start), and a known region, the
     * usual case, never needs it.
     */
    private static final class Partitions {
        static final List<Pattern> PATTERNS = Region.regions().stream()
                .filter(region -> !region.isGlobalRegion())
                .map(region -> PartitionMetadata.of(region).regionRegex())
                .distinct()
                .map(Pattern::compile)
                .toList();
    }

    /** Whether {@code name} is a region the SDK knows, or one a known partition would name. */
    public static boolean isReal(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH || !CHARACTERS.matcher(name).matches()) {
            return false;
        }
        return KNOWN.contains(name) || Partitions.PATTERNS.stream().anyMatch(partition -> partition.matcher(name).matches());
    }
}
