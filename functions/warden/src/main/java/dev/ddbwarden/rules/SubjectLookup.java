package dev.ddbwarden.rules;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.TimeBudget;

import java.util.List;

/**
 * Finds the tables a call is about, reading what it must: a KMS call names a key, not a table, and the tables
 * that key encrypts are found only by asking KMS or DynamoDB. Run once per call, before the per-table steps;
 * most rules need no read ({@link Rule#subjects(ApiCall)}).
 */
@FunctionalInterface
public interface SubjectLookup {

    /**
     * The tables {@code call} is about, in a stable order (a re-delivery must find the same ones); empty for none.
     *
     * @param budget the invocation's time: a read that could outrun it stops early and says so
     */
    List<TableRef> find(ApiCall call, TimeBudget budget);
}
