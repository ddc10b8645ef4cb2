package dev.ddbwarden.ledger;

import dev.ddbwarden.check.Hold;

import java.util.Optional;

/** ddb-warden's own decisions to keep away from a table, which alone make its tags count. */
public interface Holds {

    /**
     * Records ddb-warden's own decision to keep away from a table (a quarantine, a decommission), replacing
     * any earlier one of its kind. Written before the tag that announces it, so a tag ddb-warden wrote always
     * has its decision here.
     */
    void hold(Hold hold);

    /** The latest decision of the kind on the table, or empty (a ledger that remembers nothing has none). */
    Optional<Hold> holdOn(Hold.Kind kind, String tableArn);
}
