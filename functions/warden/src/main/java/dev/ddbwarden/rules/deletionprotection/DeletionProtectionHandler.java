package dev.ddbwarden.rules.deletionprotection;

import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;

/** DeletionProtectionFunction: keeps deletion protection on and reports deletions. */
public final class DeletionProtectionHandler extends WardenHandler {

    /** Called by the Lambda runtime: settings and clients come from the environment. */
    public DeletionProtectionHandler() {
        this(Services.fromEnvironment());
    }

    public DeletionProtectionHandler(Services services) {
        super(new DeletionProtectionRule(), services);
    }
}
