package dev.ddbwarden.state;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure "with" steps a fix uses to say how it left the table without reading it again. */
class TableStateTest {
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final String STREAM = ORDERS.arn() + "/stream/2024-05-01T12:00:00.000";
    private static final ResourcePolicy TABLE_POLICY = new ResourcePolicy(ORDERS.arn(), "{\"table\":1}", "t-1");
    private static final ResourcePolicy STREAM_POLICY = new ResourcePolicy(STREAM, "{\"stream\":1}", "s-1");
    private static final TableState READ = new TableState(ORDERS, "ACTIVE", false, Map.of("team", "payments"), STREAM,
            Optional.of(TABLE_POLICY), Optional.of(STREAM_POLICY));

    @Test
    void withPolicy_shouldReplaceOnlyTheStreamsPolicy_whenTheStreamArnIsGiven() {
        ResourcePolicy written = new ResourcePolicy(STREAM, "{\"stream\":2}", "s-2");

        TableState after = READ.withPolicy(STREAM, Optional.of(written));

        assertThat(after.streamPolicy()).contains(written);
        assertThat(after.tablePolicy()).contains(TABLE_POLICY);
    }

    @Test
    void withPolicy_shouldRemoveTheTablesPolicy_whenItWasDeleted() {
        TableState after = READ.withPolicy(ORDERS.arn(), Optional.empty());

        assertThat(after.tablePolicy()).isEmpty();
        assertThat(after.streamPolicy()).contains(STREAM_POLICY);
    }

    @Test
    void withDescription_shouldKeepTagsAndPolicies_whenTheStreamIsTheSame() {
        TableState after = READ.withDescription("UPDATING", true, STREAM, List.of("eu-west-1"));

        assertThat(after).isEqualTo(new TableState(ORDERS, "UPDATING", true, Map.of("team", "payments"), STREAM,
                Optional.of(TABLE_POLICY), Optional.of(STREAM_POLICY), List.of("eu-west-1")));
    }

    @Test
    void withDescription_shouldDropTheStreamPolicy_whenTheDescriptionNamesAnotherStream() {
        TableState after = READ.withDescription("ACTIVE", true, ORDERS.arn() + "/stream/2024-06-01T00:00:00.000", List.of());

        assertThat(after.streamPolicy()).isEmpty();
        assertThat(after.tablePolicy()).contains(TABLE_POLICY);
    }

    @Test
    void withTag_shouldAddTheTagAndKeepTheOthers() {
        assertThat(READ.withTag("ddb-warden:quarantine", "x").tags())
                .isEqualTo(Map.of("team", "payments", "ddb-warden:quarantine", "x"));
        assertThat(READ.tags()).doesNotContainKey("ddb-warden:quarantine");
    }
}
