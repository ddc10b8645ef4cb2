package dev.ddbwarden.rules.deletionprotection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.check.Finding;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.Replicas;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * New replicas and deletion protection: each replica is a table of its own region whose protection starts
 * off. One in an allowed region is protected like any table; one outside them is the region guard's to
 * remove, and protection could stand in the way of that removal, so it is left unprotected.
 */
class NewReplicaProtectionRuleTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:05Z");
    private static final Settings SETTINGS = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1,eu-west-1")::get);
    private static final TableRef SOURCE = TestEvents.table("orders");
    private static final TableRef DUBLIN = new TableRef("aws", "eu-west-1", TestEvents.ACCOUNT, "orders");
    private static final TableRef SYDNEY = new TableRef("aws", "ap-southeast-2", TestEvents.ACCOUNT, "orders");

    private final DeletionProtectionRule check = new DeletionProtectionRule();

    /** UpdateTable on orders in us-east-1 adding replicas in eu-west-1 (allowed) and ap-southeast-2 (not). */
    static ObjectNode addReplicas() {
        ObjectNode event = TestEvents.event("UpdateTable", "orders");
        ((ObjectNode) event.get("detail").get("requestParameters")).set("replicaUpdates", TestEvents.tree(
                "[{\"create\": {\"regionName\": \"eu-west-1\"}}, {\"create\": {\"regionName\": \"ap-southeast-2\"}}]"));
        return event;
    }

    private static Optional<TableState> unprotected(TableRef table, List<String> peers) {
        return Optional.of(new TableState(table, "ACTIVE", Map.of())
                .withAugment(DeletionProtection.class, new DeletionProtection(false))
                .withAugment(Replicas.class, new Replicas(peers)));
    }

    @Test
    void subjects_shouldBeTheSource_andEachNewReplicaInItsOwnRegion() {
        assertThat(check.subjects(TestEvents.call(addReplicas()))).containsExactly(SOURCE, SYDNEY, DUBLIN);
    }

    @Test
    void subjects_shouldBeTheTableAlone_whenNoReplicaIsCreated() {
        assertThat(check.subjects(TestEvents.call(TestEvents.event("UpdateTable", "orders")))).containsExactly(SOURCE);
    }

    @Test
    void newReplicaInAnAllowedRegion_shouldGetProtection_andBeAwaitedUntilItExists() {
        ApiCall call = TestEvents.call(addReplicas());

        List<Finding> findings = check.evaluate(call, DUBLIN, unprotected(DUBLIN, List.of("us-east-1", "ap-southeast-2")),
                SETTINGS, NOW);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.table()).isEqualTo(DUBLIN);
            assertThat(f.remedy()).isEqualTo(new DeletionProtectionRemedy.EnableDeletionProtection());
        });
        assertThat(check.awaitsTable(call, DUBLIN, SETTINGS)).isTrue();
    }

    @Test
    void newReplicaInAForbiddenRegion_shouldBeLeftToTheRegionGuard_unprotected_andNotAwaited() {
        ApiCall call = TestEvents.call(addReplicas());

        assertThat(check.evaluate(call, SYDNEY, unprotected(SYDNEY, List.of()), SETTINGS, NOW)).isEmpty();
        assertThat(check.evaluate(call, SYDNEY, Optional.empty(), SETTINGS, NOW)).isEmpty();
        assertThat(check.awaitsTable(call, SYDNEY, SETTINGS)).isFalse();
        assertThat(check.awaitsTable(call, SOURCE, SETTINGS)).as("the source exists already").isFalse();
    }

    /** The sweep has no event: the live table's peers say it is a replica. */
    @Test
    void sweep_shouldProtectAReplicaInAnAllowedRegion_andLeaveOneInAForbiddenRegion() {
        ApiCall dublinSweep = ApiCall.sweep("s1", "eu-west-1", TestEvents.ACCOUNT, "orders", NOW);
        ApiCall sydneySweep = ApiCall.sweep("s1", "ap-southeast-2", TestEvents.ACCOUNT, "orders", NOW);

        assertThat(check.evaluate(dublinSweep, DUBLIN, unprotected(DUBLIN, List.of("us-east-1")), SETTINGS, NOW))
                .singleElement().satisfies(f -> assertThat(f.remedy()).isEqualTo(new DeletionProtectionRemedy.EnableDeletionProtection()));
        assertThat(check.evaluate(sydneySweep, SYDNEY, unprotected(SYDNEY, List.of("us-east-1")), SETTINGS, NOW)).isEmpty();
    }

    /** A table alone in a forbidden region is quarantined, not removed: protection keeps its data safe meanwhile. */
    @Test
    void standaloneTableInAForbiddenRegion_shouldStillBeProtected() {
        ApiCall sweep = ApiCall.sweep("s1", "ap-southeast-2", TestEvents.ACCOUNT, "orders", NOW);

        assertThat(check.evaluate(sweep, SYDNEY, unprotected(SYDNEY, List.of()), SETTINGS, NOW)).hasSize(1);
    }

    /** Without ALLOWED_REGIONS nothing counts as forbidden here: a missing setting must not leave replicas unprotected. */
    @Test
    void replica_shouldBeProtected_whenAllowedRegionsIsUnset() {
        Settings unset = Settings.from(Map.<String, String>of()::get);
        ApiCall call = TestEvents.call(addReplicas());

        assertThat(check.evaluate(call, SYDNEY, unprotected(SYDNEY, List.of("us-east-1")), unset, NOW)).hasSize(1);
        assertThat(check.awaitsTable(call, SYDNEY, unset)).isTrue();
    }
}
