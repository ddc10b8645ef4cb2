package dev.ddbwarden.rules.regionguard;

import dev.ddbwarden.config.AllowedRegions;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;

/**
 * RegionGuardFunction: quarantines tables created outside the allowed regions and removes replicas
 * added there. It refuses to start on an ALLOWED_REGIONS it cannot trust, and keeps its last good settings
 * over a re-read one.
 */
public final class RegionGuardHandler extends WardenHandler {

    /** Called by the Lambda runtime: settings and clients come from the environment. */
    public RegionGuardHandler() {
        this(Services.fromEnvironment());
    }

    public RegionGuardHandler(Services services) {
        super(new RegionGuardRule(), guarded(services));
    }

    private static Services guarded(Services services) {
        // Now, and on every re-read of the settings parameter: a list it refuses is kept out like any invalid one.
        String home = services.homeRegion();
        services.settingsSource().require(settings -> AllowedRegions.require(settings.allowedRegions(), home));
        return services;
    }
}
