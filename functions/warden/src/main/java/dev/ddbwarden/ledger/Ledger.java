package dev.ddbwarden.ledger;

/**
 * The one table that holds every concern the ledger serves, for the code that wires the parts together.
 * A part takes only the concern it uses: {@link Decisions}, {@link FixCounts}, {@link SweepCounts},
 * {@link Holds} or {@link TableMemory}.
 */
public interface Ledger extends Decisions, FixCounts, SweepCounts, Holds, TableMemory {
}
