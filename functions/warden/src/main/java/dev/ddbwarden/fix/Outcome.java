package dev.ddbwarden.fix;

/** What became of a finding, for the ledger and the alert. */
public record Outcome(Action action, String description) {

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
        /** The table was fixed too often this hour: something undoes ddb-warden; it stops and says so. */
        TUG_OF_WAR,
        /** A tug of war already reported this hour: no fix, no second alert. */
        BREAKER_OPEN
    }
}
