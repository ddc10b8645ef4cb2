package dev.ddbwarden.handler;

import dev.ddbwarden.check.DeletionProtectionCheck;

/** DeletionProtectionFunction: keeps deletion protection on and reports deletions. */
public final class DeletionProtectionHandler extends WardenHandler {

    /** Called by the Lambda runtime: settings and clients come from the environment. */
    public DeletionProtectionHandler() {
        this(Services.fromEnvironment());
    }

    public DeletionProtectionHandler(Services services) {
        super(new DeletionProtectionCheck(), services);
    }
}
