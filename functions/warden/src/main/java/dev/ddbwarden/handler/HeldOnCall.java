package dev.ddbwarden.handler;

import dev.ddbwarden.check.Hold;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.DataTables;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.ledger.Holds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger's holds, of the kinds a rule reads ({@code Rule.holds()}), on every table a call decided on the record
 * names (a data event's tables, {@link DataTables}): what {@link HeldAugment} is to a table's state. A hold only ever
 * makes a rule stricter (a trusted tag counts beside it), so a ledger that cannot be read leaves the table in
 * {@link Hold.OnTables#unread()}, logged, and the rule decides on what else it knows rather than dropping the call.
 */
final class HeldOnCall {
    private static final Logger LOG = LoggerFactory.getLogger(HeldOnCall.class);

    private HeldOnCall() {
    }

    /** Empty when the rule reads no holds or the call names no table. */
    static Optional<Hold.OnTables> read(Holds ledger, Set<Hold.Kind> kinds, ApiCall call) {
        List<TableRef> tables = kinds.isEmpty() ? List.of() : DataTables.of(call);
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Hold.Held> byTable = new HashMap<>();
        Set<String> unread = new HashSet<>();
        for (TableRef table : tables) {
            Map<Hold.Kind, Hold> held = new EnumMap<>(Hold.Kind.class);
            try {
                for (Hold.Kind kind : kinds) {
                    ledger.holdOn(kind, table.arn()).ifPresent(hold -> held.put(kind, hold));
                }
                byTable.put(table.arn(), new Hold.Held(held));
            } catch (RuntimeException e) {
                LOG.warn("could not read the ledger's holds on {} for {}: {}; deciding on what else is known of it",
                        table.arn(), call.eventName(), e.toString());
                unread.add(table.arn());
            }
        }
        return Optional.of(new Hold.OnTables(byTable, unread));
    }
}
