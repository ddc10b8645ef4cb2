package dev.ddbwarden.rules.pointintimerecovery;

import dev.ddbwarden.RuleFixes;
import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.rules.pointintimerecovery.PointInTimeRecoveryRule.PitrRemedy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsUnavailableException;
import software.amazon.awssdk.services.dynamodb.model.TableNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.UpdateContinuousBackupsRequest;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * The answers moto_server does not give (a table not yet ready for continuous backups, one deleted meanwhile), on a
 * mocked client; the fix's request and its answer are proven against moto_server in PointInTimeRecoveryIntegrationTest.
 */
class PointInTimeRecoveryFixesTest {
    private static final TableRef ORDERS = TestEvents.table("orders");
    private static final PitrRemedy.EnablePitr ENABLE = new PitrRemedy.EnablePitr(35);

    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final Fixes fixes = RuleFixes.of(new PointInTimeRecoveryRule(), RegionalDynamo.single(dynamo));

    private static TableState with(PointInTimeRecoveryRule.Pitr pitr) {
        return new TableState(ORDERS, "ACTIVE", Map.of()).withAugment(PointInTimeRecoveryRule.Pitr.class, pitr);
    }

    @Test
    void apply_shouldCallNothing_whenPitrIsAlreadyOnForThePeriod() {
        Outcome outcome = fixes.apply(ENABLE, with(new PointInTimeRecoveryRule.Pitr(true, 35, Optional.empty())));

        assertThat(outcome.action()).isEqualTo(Outcome.Action.ALREADY_COMPLIANT);
        verifyNoInteractions(dynamo);
    }

    @Test
    void apply_shouldReportTheTableGone_whenDynamoDbNoLongerKnowsIt() {
        when(dynamo.updateContinuousBackups(any(UpdateContinuousBackupsRequest.class)))
                .thenThrow(TableNotFoundException.builder().message("Table not found: orders").build());

        assertThat(fixes.apply(ENABLE, with(PointInTimeRecoveryRule.Pitr.off())).action()).isEqualTo(Outcome.Action.TABLE_GONE);
    }

    @Test
    void apply_shouldAskToBeRetried_whenContinuousBackupsAreNotAvailableYet() {
        when(dynamo.updateContinuousBackups(any(UpdateContinuousBackupsRequest.class)))
                .thenThrow(ContinuousBackupsUnavailableException.builder().message("Backups are being enabled").build());

        assertThatThrownBy(() -> fixes.apply(ENABLE, with(PointInTimeRecoveryRule.Pitr.off())))
                .isInstanceOf(ResourceBusy.class).hasMessageContaining(ORDERS.arn());
    }
}
