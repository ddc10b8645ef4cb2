package dev.ddbwarden.config;

import software.amazon.awssdk.regions.Region;

import java.util.List;

/**
 * The check that keeps a typo in ALLOWED_REGIONS from quarantining the whole estate: the list must be
 * non-empty, name only regions AWS has, and include the region ddb-warden itself runs in.
 */
public final class AllowedRegions {
    private AllowedRegions() {
    }

    /** @throws ConfigException naming ALLOWED_REGIONS when the list cannot be trusted */
    public static void require(List<String> allowed, String homeRegion) {
        if (allowed.isEmpty()) {
            throw new ConfigException(EnvVar.ALLOWED_REGIONS, "is empty; name at least the region ddb-warden runs in ("
                    + homeRegion + "), or every table would be quarantined");
        }
        for (String region : allowed) {
            if (Region.of(region).metadata() == null) {
                throw new ConfigException(EnvVar.ALLOWED_REGIONS, "'" + region + "' is not an AWS region this SDK knows");
            }
        }
        if (!allowed.contains(homeRegion)) {
            throw new ConfigException(EnvVar.ALLOWED_REGIONS, "does not include " + homeRegion
                    + ", the region ddb-warden runs in; a list without it is almost certainly a mistake");
        }
    }
}
