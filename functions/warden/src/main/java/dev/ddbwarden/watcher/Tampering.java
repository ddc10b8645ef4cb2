package dev.ddbwarden.watcher;

import dev.ddbwarden.check.Severity;

/**
 * A call that blinds or disarms ddb-warden, as the watcher classified it. Nothing is fixed: the alert
 * is the whole answer, so it says what happened, why it matters and how to check and undo it.
 *
 * @param severity CRITICAL, or LOW when the deployment role made the call
 * @param resource what the call changed: an ARN where one can be told, otherwise the name it gave
 * @param what     one line: what happened to which resource
 * @param why      why it matters to ddb-warden
 * @param check    commands that show the resource's state now
 * @param undo     how to put it back
 */
public record Tampering(Severity severity, String resource, String what, String why, String check, String undo) {

    /** Short, stable name of the watcher in alerts, metrics and the ledger. */
    public static final String RULE = "watcher";

    /** Whether the call was expected: ddb-warden's own deployment made it. */
    public boolean byDeployer() {
        return severity == Severity.LOW;
    }
}
