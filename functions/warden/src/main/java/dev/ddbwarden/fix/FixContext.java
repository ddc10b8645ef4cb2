package dev.ddbwarden.fix;

import dev.ddbwarden.check.Hold;
import dev.ddbwarden.state.RegionalDynamo;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * What a rule's fixes, and a subject lookup that reads ({@code Rule.subjectLookup}), are built with.
 *
 * @param holds where a fix that holds a table (a quarantine, a decommission) records the hold before its tag (the
 *              ledger's {@code hold}): the fixes take that one call, so that they depend on no ledger
 */
public record FixContext(RegionalDynamo dynamo, Consumer<Hold> holds, Clock clock) {
}
