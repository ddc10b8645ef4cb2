package dev.ddbwarden.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** CloudTrail's record against the delivered event, for a call that names its table and for one that names a key. */
class ActorConfirmationTest {
    private static final TableRef ORDERS = TestEvents.table("orders");

    private static ObjectNode kmsEvent() throws Exception {
        return (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events/table-key-disable-key-approved.json")));
    }

    @Test
    void aKmsCall_whoseRecordNamesTheSameKey_shouldBeConfirmed_thoughItNamesNoTable() throws Exception {
        ApiCall delivered = TestEvents.call(kmsEvent());

        // the decision is about orders, a table the key encrypts, which neither copy of the call names
        assertThat(ActorConfirmation.judge(delivered, ORDERS, Optional.of(TestEvents.call(kmsEvent()))))
                .isInstanceOf(ActorConfirmation.Confirmed.class);
    }

    @Test
    void aKmsCall_whoseRecordNamesAnotherKey_shouldBeForged() throws Exception {
        ObjectNode recorded = kmsEvent();
        ((ObjectNode) recorded.at("/detail/requestParameters")).put("keyId", "11111111-2222-4333-8444-555555555555");
        ((ObjectNode) recorded.at("/detail/resources/0")).put("ARN",
                "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555");

        ActorConfirmation judged = ActorConfirmation.judge(TestEvents.call(kmsEvent()), ORDERS,
                Optional.of(TestEvents.call(recorded)));

        assertThat(judged).isInstanceOfSatisfying(ActorConfirmation.Forged.class, forged ->
                assertThat(forged.differences()).singleElement().asString().contains("11111111-2222"));
    }

    @Test
    void aTableCall_onAnotherTable_shouldStillBeForged() {
        ApiCall delivered = TestEvents.call(TestEvents.eventBy(TestEvents.APPROVED_ROLE, "UpdateTable", "orders"));
        ApiCall recorded = TestEvents.call(TestEvents.eventBy(TestEvents.APPROVED_ROLE, "UpdateTable", "payments"));

        assertThat(ActorConfirmation.judge(delivered, ORDERS, Optional.of(recorded))).isInstanceOf(ActorConfirmation.Forged.class);
        assertThat(ActorConfirmation.judge(delivered, ORDERS, Optional.of(delivered))).isInstanceOf(ActorConfirmation.Confirmed.class);
    }
}
