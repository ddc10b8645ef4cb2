package dev.ddbwarden.handler;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.SubjectLookup;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.ddbwarden.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;

/**
 * The pipeline takes a rule's tables from its {@link Rule#subjectLookup}, read once per call before the per-table
 * steps: a call that names no table (a KMS key's) is decided on the tables the lookup found, one ledger entry each,
 * and a re-delivery looks them up again and finds each decision done.
 */
class SubjectLookupPipelineTest extends PipelineHarness {

    /** The deletion-protection rule, its tables found by a lookup that records each call it is asked about. */
    private static final class LookedUp implements Rule {
        private final DeletionProtectionRule rule = new DeletionProtectionRule();
        private final List<TableRef> found;
        final List<String> asked = new ArrayList<>();
        /** Each read of the call's own facts (as an export's bucket region is read), by event ID. */
        final List<String> callReads = new ArrayList<>();

        LookedUp(List<TableRef> found) {
            this.found = found;
        }

        @Override
        public SubjectLookup subjectLookup(FixContext context) {
            return (call, budget) -> {
                asked.add(call.eventId());
                return found;
            };
        }

        @Override
        public List<CallAugment<?>> callAugments() {
            return List.of(new CallAugment<String>() {
                @Override
                public Class<String> type() {
                    return String.class;
                }

                @Override
                public Optional<String> read(ApiCall call, Settings settings) {
                    callReads.add(call.eventId());
                    return Optional.of("read");
                }
            });
        }

        @Override
        public String name() {
            return rule.name();
        }

        @Override
        public String function() {
            return rule.function();
        }

        @Override
        public List<Trigger> triggers() {
            return rule.triggers();
        }

        @Override
        public Set<String> tableActions() {
            return rule.tableActions();
        }

        @Override
        public Class<? extends Remedy> remedies() {
            return rule.remedies();
        }

        @Override
        public List<Fix<?>> fixes(FixContext context) {
            return rule.fixes(context);
        }

        @Override
        public List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings, Instant now) {
            return rule.evaluate(call, table, state, settings, now);
        }
    }

    @Test
    void tablesTheLookupFinds_shouldBeDecided_notTheOneTheCallNames() throws Exception {
        // GIVEN a lookup that finds "orders" for a call naming "elsewhere"
        TableRef orders = new TableRef("aws", "us-east-1", "123456789012", "orders");
        LookedUp rule = new LookedUp(List.of(orders));
        givenReads(table("ACTIVE", false), table("ACTIVE", true));

        // WHEN the call arrives, then again
        var event = event("CreateTable", "elsewhere");
        List<Result> first = process(rule, SETTINGS, event, 0, budget());
        List<Result> again = process(rule, SETTINGS, event, 0, budget());

        // THEN orders was read and fixed once, alerted once; the lookup ran for each delivery
        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.table()).isEqualTo(orders.arn());
            assertThat(r.action()).isEqualTo("FIXED");
        });
        assertThat(again).singleElement().satisfies(r -> assertThat(r.action()).isNotEqualTo("FIXED"));
        verify(dynamo, org.mockito.Mockito.atLeastOnce()).describeTable(argThat((DescribeTableRequest r) -> r.tableName().equals(orders.arn())));
        assertThat(updateTableCalls()).isEqualTo(1);
        assertThat(publisher.published()).hasSize(1);
        assertThat(rule.asked).hasSize(2);
    }

    @Test
    void theCallsOwnFacts_shouldBeReadOncePerCall_whateverTheTables_andNotForTablesThatNeverGetToADecision() throws Exception {
        // GIVEN a lookup that finds two tables, both unprotected
        TableRef orders = new TableRef("aws", "us-east-1", "123456789012", "orders");
        TableRef payments = new TableRef("aws", "us-east-1", "123456789012", "payments");
        LookedUp rule = new LookedUp(List.of(orders, payments));
        givenReads(table("ACTIVE", false));

        // WHEN the call arrives
        List<Result> results = process(rule, SETTINGS, event("CreateTable", "elsewhere"), 0, budget());

        // THEN both tables were decided on, and the call's facts read once
        assertThat(results).hasSize(2);
        assertThat(rule.callReads).hasSize(1);

        // AND a call whose tables are all exempt reads no fact about the call at all
        LookedUp exempt = new LookedUp(List.of(orders, payments));
        Settings exempting = Settings.from(java.util.Map.of("EXEMPT_TABLES", "orders,payments")::get);
        assertThat(process(exempt, exempting, event("CreateTable", "elsewhere"), 0, budget()))
                .allSatisfy(r -> assertThat(r.action()).isEqualTo("SKIPPED_EXEMPT"));
        assertThat(exempt.callReads).isEmpty();
    }

    @Test
    void aLookupFindingNothing_shouldDecideNothing() throws Exception {
        LookedUp rule = new LookedUp(List.of());

        assertThat(process(rule, SETTINGS, event("CreateTable", "orders"), 0, budget())).isEmpty();
        assertThat(updateTableCalls()).isZero();
        assertThat(publisher.published()).isEmpty();
    }

    private dev.ddbwarden.state.TimeBudget budget() {
        return dev.ddbwarden.state.TimeBudget.of(clock, java.time.Duration.ofMinutes(5), java.time.Duration.ZERO);
    }
}
