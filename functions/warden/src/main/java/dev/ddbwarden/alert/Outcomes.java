package dev.ddbwarden.alert;

import dev.ddbwarden.fix.Outcome;

/** What the alert says ddb-warden did when it did not apply the fix, and why. */
public final class Outcomes {

    private Outcomes() {
    }

    /** @param sweeping whether a sweep's report-only run decided, rather than an event in notify mode */
    /**
     * @param sweepOnly whether only the sweep's report-only run (not the rule's mode) kept the fix back
     * @param mode      which setting made the rule notify, as {@code RuleModes.Applied.describe} words it
     */
    public static Outcome notifyMode(boolean sweepOnly, String mode) {
        return new Outcome(Outcome.Action.NOT_FIXED_NOTIFY_MODE, sweepOnly
                ? "Nothing was changed: this sweep only reports (the first sweep since installation, SweepReportOnly,"
                        + " or past the sweep's cap on fixes, SweepMaxFixes)."
                : "Nothing was changed: " + mode + ".");
    }

    /** @param status the table's status when the last re-check gave up, or "changing" when it vanished */
    public static Outcome gaveUp(String status, int rechecks) {
        return new Outcome(Outcome.Action.GAVE_UP, "The table was still " + status + " after " + rechecks
                + " re-checks, so ddb-warden could not act; do it by hand.");
    }

    /** The alert an interrupted run planned, for a table that is gone now: nobody can tell whether the fix landed. */
    public static Alert tableGone(Alert planned) {
        return new Alert(planned.subject(), planned.body()
                + "\nNote: the table no longer exists, so ddb-warden cannot confirm the change above was made.\n",
                planned.attributes());
    }
}
