package dev.ddbwarden.fix;

import dev.ddbwarden.state.TableState;

import java.util.Optional;

/**
 * What became of a finding, for the ledger and the alert.
 *
 * @param after the table as this outcome left it, when the fix can tell from what it read and what its
 *              own calls answered (an UpdateTable returns the table's description, a policy write its
 *              revision); empty when it cannot, and then the table must be read to know
 */
public record Outcome(Action action, String description, Optional<TableState> after) {

    /** An outcome that cannot say how it left the table. */
    public Outcome(Action action, String description) {
        this(action, description, Optional.empty());
    }

    /** An outcome that left the table as {@code after}. */
    public Outcome(Action action, String description, TableState after) {
        this(action, description, Optional.of(after));
    }

    /** The same outcome, no longer sure how it left the table. */
    public Outcome withoutAfter() {
        return new Outcome(action, description);
    }

    /** Whether ddb-warden changed the table, so that its state after is worth reading. */
    public boolean changedTable() {
        return action == Action.FIXED || action == Action.TAGGED;
    }

    /** The closed list of what can happen to a finding. */
    public enum Action {
        /** The remedy was applied. */
        FIXED,
        /** The table was marked (tagged) so that later runs treat it as the finding asks. */
        TAGGED,
        /** The table was already as the remedy would leave it (an earlier attempt, or someone else). */
        ALREADY_COMPLIANT,
        /** Nothing is changed for this finding by design: the alert is the response. */
        ALERTED,
        /** Notify mode: nothing changed, the alert says what to do. */
        NOT_FIXED_NOTIFY_MODE,
        /** The table disappeared before the fix could be applied. */
        TABLE_GONE,
        /** The table kept changing past every re-check; a person must finish the job. */
        GAVE_UP,
        /** DynamoDB refused the fix for longer than a run lasts: the re-check queue tries it again. */
        RETRYING,
        /** The table was fixed too often this hour: something undoes ddb-warden; it stops and says so. */
        TUG_OF_WAR,
        /** A tug of war already reported this hour: no fix, no second alert. */
        BREAKER_OPEN
    }
}
