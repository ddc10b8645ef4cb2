package dev.ddbwarden.rules.backups;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.backup.BackupApi;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.state.CallReads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * UpdateBackupPlan shortening a plan's retention: what the rule reads of AWS Backup (a mocked client: moto has plans
 * but no selections or versions) and its pure decision on it, on the sample in events/.
 */
class PlanRetentionTest {
    private static final Settings DEFAULTS = Settings.from(name -> null);
    private static final String PLAN = "8a6a5f5e-3c1b-4d2e-9f0a-7b6c5d4e3f21";
    private static final String NEW = "NjQ2ZTI5YTQtNmEwZi00ZDhkLWE2ZjEtZTg1OGFiODIzMmZk";
    private static final String ORDERS = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private final BackupApi api = mock(BackupApi.class);
    private final BackupsRule rule = new BackupsRule((account, region) -> api);

    private static ApiCall sample() throws IOException {
        return TestEvents.call((ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events/backups-update-plan.json"))));
    }

    private static BackupApi.Plan plan(String version, Long days) {
        return new BackupApi.Plan(PLAN, version, "tables-daily",
                List.of(new BackupApi.PlanRule("daily", Optional.ofNullable(days), List.of())));
    }

    private void versions(Long before, Long after) {
        when(api.planVersions(PLAN)).thenReturn(List.of(new BackupApi.PlanVersion("old", Instant.parse("2024-05-01T00:00:00Z")),
                new BackupApi.PlanVersion(NEW, Instant.parse("2024-05-14T09:49:27Z"))));
        when(api.backupPlan(PLAN, Optional.of("old"))).thenReturn(plan("old", before));
        when(api.backupPlan(PLAN, Optional.of(NEW))).thenReturn(plan(NEW, after));
    }

    private Optional<ResourceFinding> decide() throws IOException {
        ApiCall call = sample();
        return rule.evaluateResource(call, CallReads.read(rule.callAugments(), call, DEFAULTS), DEFAULTS);
    }

    @Test
    void shortenedRetention_onAPlanCoveringATable_shouldAlertHigh_namingTheRuleAndTheTable() throws IOException {
        // GIVEN a plan whose selection names orders, and whose rule daily kept 35 days before this call and 1 after
        when(api.selections(PLAN)).thenReturn(List.of(new BackupApi.Selection("s", "tables", List.of(ORDERS), List.of(), false)));
        versions(35L, 1L);

        // WHEN the UpdateBackupPlan is decided
        Optional<ResourceFinding> finding = decide();

        // THEN HIGH on the plan: the rule, the days, the table
        assertThat(finding).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.title()).isEqualTo("backup plan retention shortened");
            assertThat(f.resource().arn()).isEqualTo("arn:aws:backup:us-east-1:123456789012:backup-plan:" + PLAN);
            assertThat(f.detail()).contains("rule daily: 35 day(s) → 1 day(s)").contains(ORDERS)
                    .contains("arn:aws:sts::123456789012:assumed-role/developer/alice").doesNotContain("in case");
        });
    }

    @Test
    void aLongerOrEqualRetention_shouldNotBeAFinding() throws IOException {
        when(api.selections(PLAN)).thenReturn(List.of(new BackupApi.Selection("s", "all", List.of("*"), List.of(), false)));
        versions(7L, 35L);

        assertThat(decide()).isEmpty();
    }

    @Test
    void aRetentionSetWhereThePlanKeptPointsForEver_isShortened() {
        assertThat(PlanChange.shortened(plan("old", null), plan(NEW, 90L))).containsExactly("rule daily: kept for ever → 90 day(s)");
        assertThat(PlanChange.shortened(plan("old", 90L), plan(NEW, null))).isEmpty();
    }

    @Test
    void aPlanOfOtherServicesOnly_shouldNotConcernTheRule_andItsVersionsAreNotRead() throws IOException {
        when(api.selections(PLAN)).thenReturn(List.of(new BackupApi.Selection("s", "volumes",
                List.of("arn:aws:ec2:us-east-1:123456789012:volume/vol-1"), List.of(), false)));

        assertThat(decide()).isEmpty();
        verify(api, never()).planVersions(anyString());
        verify(api, never()).backupPlan(anyString(), any());
    }

    @Test
    void selectionsByTagsOnly_shouldCountDynamoDbIn_sayingSo() throws IOException {
        when(api.selections(PLAN)).thenReturn(List.of(new BackupApi.Selection("s", "tagged", List.of(), List.of(), true)));
        versions(35L, 1L);

        assertThat(decide()).hasValueSatisfying(f -> assertThat(f.detail()).contains("could not be told")
                .contains("tags or conditions").contains("rule daily: 35 day(s) → 1 day(s)"));
    }

    @Test
    void versionsAwsBackupWillNotGive_shouldFailClosed_sayingWhy() throws IOException {
        when(api.selections(PLAN)).thenReturn(List.of(new BackupApi.Selection("s", "tables", List.of(ORDERS), List.of(), false)));
        when(api.planVersions(PLAN)).thenReturn(List.of(new BackupApi.PlanVersion(NEW, Instant.parse("2024-05-14T09:49:27Z"))));

        assertThat(decide()).hasValueSatisfying(f -> assertThat(f.detail()).contains("could not compare")
                .contains("AWS Backup lists no version of plan " + PLAN + " before " + NEW).contains("in case"));
    }

    @Test
    void onTheRecordAlone_shouldFailClosed() throws IOException {
        assertThat(rule.evaluateResource(sample(), DEFAULTS)).hasValueSatisfying(f ->
                assertThat(f.detail()).contains("AWS Backup was not asked").contains("in case"));
    }
}
