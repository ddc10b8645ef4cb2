package dev.ddbwarden.fix;

import dev.ddbwarden.ledger.Ledger;
import dev.ddbwarden.state.RegionalDynamo;

import java.time.Clock;

/**
 * What a rule's fixes are built with.
 *
 * @param ledger where a fix that holds a table (a quarantine, a decommission) records the hold before its tag
 */
public record FixContext(RegionalDynamo dynamo, Ledger ledger, Clock clock) {
}
