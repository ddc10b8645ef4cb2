package dev.ddbwarden.state;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

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
    private static final ResourcePolicies POLICIES = new ResourcePolicies(Optional.of(TABLE_POLICY), STREAM,
            Optional.of(STREAM_POLICY));
    private static final TableState READ = new TableState(ORDERS, "ACTIVE", Map.of("team", "payments"))
            .withAugment(ResourcePolicies.class, POLICIES)
            .withAugment(Replicas.class, new Replicas(List.of()));

    /** A made-up augment's value that a description does not hold. */
    record Retention(int days) {
    }

    private static TableDescription described(String status, String stream, String... replicas) {
        return TableDescription.builder().tableArn(ORDERS.arn()).tableStatus(status).latestStreamArn(stream)
                .replicas(List.of(replicas).stream().map(r -> ReplicaDescription.builder().regionName(r).build()).toList())
                .build();
    }

    @Test
    void policiesWith_shouldReplaceOnlyTheStreamsPolicy_whenTheStreamArnIsGiven() {
        ResourcePolicy written = new ResourcePolicy(STREAM, "{\"stream\":2}", "s-2");

        ResourcePolicies after = POLICIES.with(STREAM, Optional.of(written));

        assertThat(after.stream()).contains(written);
        assertThat(after.table()).contains(TABLE_POLICY);
        assertThat(after.of(STREAM)).contains(written);
        assertThat(after.of(ORDERS.arn())).contains(TABLE_POLICY);
    }

    @Test
    void policiesWith_shouldRemoveTheTablesPolicy_whenItWasDeleted() {
        ResourcePolicies after = POLICIES.with(ORDERS.arn(), Optional.empty());

        assertThat(after.table()).isEmpty();
        assertThat(after.stream()).contains(STREAM_POLICY);
    }

    @Test
    void withDescription_shouldTakeStatusAndReplicas_andKeepTagsAndPolicies_whenTheStreamIsTheSame() {
        TableState after = READ.withAugment(Retention.class, new Retention(35))
                .withDescription(described("UPDATING", STREAM, "eu-west-1")).orElseThrow();

        assertThat(after).isEqualTo(new TableState(ORDERS, "UPDATING", Map.of("team", "payments"))
                .withAugment(ResourcePolicies.class, POLICIES)
                .withAugment(Replicas.class, new Replicas(List.of("eu-west-1")))
                .withAugment(Retention.class, new Retention(35)));
    }

    @Test
    void withDescription_shouldDropTheStreamPolicy_whenTheDescriptionNamesAnotherStream() {
        String other = ORDERS.arn() + "/stream/2024-06-01T00:00:00.000";

        ResourcePolicies after = READ.withDescription(described("ACTIVE", other)).orElseThrow()
                .augment(ResourcePolicies.class).orElseThrow();

        assertThat(after).isEqualTo(new ResourcePolicies(Optional.of(TABLE_POLICY), other, Optional.empty()));
    }

    @Test
    void withDescription_shouldTellNothing_whenTheDescriptionHasNoStatus() {
        assertThat(READ.withDescription(TableDescription.builder().tableArn(ORDERS.arn()).build())).isEmpty();
    }

    @Test
    void summary_shouldQuoteEachPartByItsFields_andAnyOtherAugmentByName() {
        TableState state = READ.withAugment(Replicas.class, new Replicas(List.of("eu-west-1")))
                .withAugment(Retention.class, new Retention(35));

        assertThat(state.summary().toString()).isEqualTo("{\"tableArn\":\"" + ORDERS.arn() + "\",\"status\":\"ACTIVE\","
                + "\"tags\":{\"team\":\"payments\"},\"replicaRegions\":[\"eu-west-1\"],"
                + "\"resourcePolicy\":{\"resourceArn\":\"" + ORDERS.arn() + "\",\"revisionId\":\"t-1\",\"policy\":\"{\\\"table\\\":1}\"},"
                + "\"streamPolicy\":{\"resourceArn\":\"" + STREAM + "\",\"revisionId\":\"s-1\",\"policy\":\"{\\\"stream\\\":1}\"},"
                + "\"Retention\":\"Retention[days=35]\"}");
    }

    @Test
    void withTag_shouldAddTheTagAndKeepTheOthers() {
        assertThat(READ.withTag("ddb-warden:quarantine", "x").tags())
                .isEqualTo(Map.of("team", "payments", "ddb-warden:quarantine", "x"));
        assertThat(READ.tags()).doesNotContainKey("ddb-warden:quarantine");
    }
}
