package dev.ddbwarden.handler;

import dev.ddbwarden.check.RegionGuardCheck;
import dev.ddbwarden.config.AllowedRegions;

/**
 * RegionGuardFunction: quarantines tables created outside the allowed regions and removes replicas
 * added there. It refuses to start on an ALLOWED_REGIONS it cannot trust.
 */
public final class RegionGuardHandler extends WardenHandler {

    /** Called by the Lambda runtime: settings and clients come from the environment. */
    public RegionGuardHandler() {
        this(Services.fromEnvironment());
    }

    public RegionGuardHandler(Services services) {
        super(new RegionGuardCheck(), guarded(services));
    }

    private static Services guarded(Services services) {
        AllowedRegions.require(services.settings().allowedRegions(), services.homeRegion());
        return services;
    }
}
