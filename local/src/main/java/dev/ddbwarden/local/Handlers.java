package dev.ddbwarden.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.handler.Services;
import dev.ddbwarden.handler.WardenHandler;

/** A function's handler as template.yaml declares it, built in this JVM with the services a local run gives. */
final class Handlers {

    private Handlers() {
    }

    /** Every rule function runs WardenHandler with the rule its RULE names; the others take their services. */
    static RequestStreamHandler build(FunctionSpec spec, Services services) throws ReflectiveOperationException {
        String handler = spec.handler();
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        if (className.equals(WardenHandler.class.getName())) {
            Object rule = spec.environment().get(EnvVar.RULE);
            return new WardenHandler(WardenHandler.ruleNamed(rule == null ? null : String.valueOf(rule)), services);
        }
        return (RequestStreamHandler) Class.forName(className).getConstructor(Services.class).newInstance(services);
    }
}
