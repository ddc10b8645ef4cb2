package dev.ddbwarden.rules.publicaccess;

import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;

/** PublicAccessFunction: takes back resource-policy statements that leak, and reports refused attempts and exports. */
public final class PublicAccessHandler extends WardenHandler {

    /** Called by the Lambda runtime: settings and clients come from the environment. */
    public PublicAccessHandler() {
        this(Services.fromEnvironment());
    }

    public PublicAccessHandler(Services services) {
        super(new PublicAccessRule(), services);
    }
}
