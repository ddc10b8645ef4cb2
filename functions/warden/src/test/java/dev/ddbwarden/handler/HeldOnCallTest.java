package dev.ddbwarden.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.ledger.Holds;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static dev.ddbwarden.TestEvents.detail;
import static dev.ddbwarden.TestEvents.tree;
import static org.assertj.core.api.Assertions.assertThat;

/** The ledger's holds on every table a data event names, and a ledger that cannot answer for one of them. */
class HeldOnCallTest {
    private static final String ORDERS = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private static final String AUDIT = "arn:aws:dynamodb:us-east-1:123456789012:table/audit-log";

    private static ApiCall batchWrite() {
        ObjectNode event = TestEvents.event("BatchWriteItem", "unused");
        detail(event).set("requestParameters", tree("{\"requestItems\": {\"orders\": [], \"audit-log\": []}}"));
        return TestEvents.call(event);
    }

    @Test
    void read_shouldGiveEachNamedTablesHolds() {
        InMemoryLedger ledger = new InMemoryLedger();
        ledger.hold(new Hold(Hold.Kind.NETWORK, ORDERS, Instant.parse("2024-06-01T00:00:00Z"), Optional.empty(),
                Optional.of("vpce-0a1b2c3d4e5f60718")));

        Hold.OnTables held = HeldOnCall.read(ledger, Set.of(Hold.Kind.NETWORK), batchWrite()).orElseThrow();

        assertThat(held.on(ORDERS).of(Hold.Kind.NETWORK)).flatMap(Hold::value).hasValue("vpce-0a1b2c3d4e5f60718");
        assertThat(held.on(AUDIT).of(Hold.Kind.NETWORK)).isEmpty();
        assertThat(held.unread()).isEmpty();
    }

    @Test
    void read_shouldNameTheTablesItCouldNotRead_andReadTheOthers() {
        InMemoryLedger ledger = new InMemoryLedger();
        Holds failingOnOrders = new Holds() {
            @Override
            public void hold(Hold hold) {
                ledger.hold(hold);
            }

            @Override
            public Optional<Hold> holdOn(Hold.Kind kind, String tableArn) {
                if (tableArn.equals(ORDERS)) {
                    throw new IllegalStateException("ledger throttled");
                }
                return ledger.holdOn(kind, tableArn);
            }
        };

        Hold.OnTables held = HeldOnCall.read(failingOnOrders, Set.of(Hold.Kind.NETWORK), batchWrite()).orElseThrow();

        assertThat(held.unread()).containsExactly(ORDERS);
        assertThat(held.byTable()).containsOnlyKeys(AUDIT);
    }

    @Test
    void read_shouldReadNothing_forARuleWithoutHolds_orACallNamingNoTable() {
        assertThat(HeldOnCall.read(new InMemoryLedger(), Set.of(), batchWrite())).isEmpty();
        ObjectNode unreadable = TestEvents.event("ExecuteStatement", "unused");
        detail(unreadable).set("requestParameters", tree("{\"statement\": \"***(Redacted)\"}"));
        assertThat(HeldOnCall.read(new InMemoryLedger(), Set.of(Hold.Kind.NETWORK), TestEvents.call(unreadable))).isEmpty();
    }
}
