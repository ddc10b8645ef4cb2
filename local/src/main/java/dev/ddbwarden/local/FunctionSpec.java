package dev.ddbwarden.local;

import java.util.Map;

/**
 * A function as template.yaml declares it.
 *
 * @param environment variable name to its unresolved template value
 */
public record FunctionSpec(String logicalId, String handler, int memoryMb, int timeoutSeconds,
                           Map<String, Object> environment) {
}
