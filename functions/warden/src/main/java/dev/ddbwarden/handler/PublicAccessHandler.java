package dev.ddbwarden.handler;

import dev.ddbwarden.check.PublicAccessCheck;

/** PublicAccessFunction: takes back resource-policy statements that leak, and reports refused attempts and exports. */
public final class PublicAccessHandler extends WardenHandler {

    /** Called by the Lambda runtime: settings and clients come from the environment. */
    public PublicAccessHandler() {
        this(Services.fromEnvironment());
    }

    public PublicAccessHandler(Services services) {
        super(new PublicAccessCheck(), services);
    }
}
