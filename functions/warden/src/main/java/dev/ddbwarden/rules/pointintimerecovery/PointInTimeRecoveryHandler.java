package dev.ddbwarden.rules.pointintimerecovery;

import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;

/** PointInTimeRecoveryFunction: keeps point-in-time recovery on. */
public final class PointInTimeRecoveryHandler extends WardenHandler {

    /** Called by the Lambda runtime: settings and clients come from the environment. */
    public PointInTimeRecoveryHandler() {
        this(Services.fromEnvironment());
    }

    public PointInTimeRecoveryHandler(Services services) {
        super(new PointInTimeRecoveryRule(), services);
    }
}
