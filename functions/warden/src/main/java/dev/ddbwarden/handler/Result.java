package dev.ddbwarden.handler;

/**
 * What one invocation did about one table, returned to the caller as JSON and counted in metrics.
 *
 * @param action a {@link dev.ddbwarden.fix.Outcome.Action} name, or what happened instead of a fix
 * @param alert  {@code sent}, {@code none}, or what kept it from being sent
 */
public record Result(String rule, String table, String severity, String action, String alert) {

    static Result skipped(String rule, String table, String why) {
        return new Result(rule, table, "", why, "none");
    }
}
