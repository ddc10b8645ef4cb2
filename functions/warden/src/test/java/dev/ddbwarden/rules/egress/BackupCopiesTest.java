package dev.ddbwarden.rules.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.backup.BackupApi;
import dev.ddbwarden.backup.BackupApiException;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.state.CallReads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * AWS Backup copies that name no table, on the samples in events/: what the egress rule asks AWS Backup (a mocked
 * client: moto models no recovery points or selections) and its decision on the answer, ALLOWED_REGIONS us-east-1.
 */
class BackupCopiesTest {
    private static final Settings SETTINGS = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, "us-east-1")::get);
    private static final String POINT = "arn:aws:backup:us-east-1:123456789012:recovery-point:5B3C0E1D-2A4B-4C6D-8E7F-9A0B1C2D3E4F";
    private static final String PLAN = "5c2d7e1f-8a9b-4c0d-9e1f-2a3b4c5d6e7f";
    private static final String ORDERS = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private static final String OFFSITE = "arn:aws:backup:ap-southeast-2:123456789012:backup-vault:offsite";
    private final BackupApi api = mock(BackupApi.class);
    /** The accounts AWS Backup was asked in. */
    private final List<String> accounts = new ArrayList<>();
    private final EgressRule rule = new EgressRule(new BucketRegions(region -> { throw new AssertionError("no S3"); }), (account, region) -> {
        accounts.add(account);
        return api;
    });

    private static ObjectNode event(String file) throws IOException {
        return (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events", file)));
    }

    private Optional<ResourceFinding> decide(ObjectNode event) {
        ApiCall call = TestEvents.call(event);
        assertThat(rule.subjects(call)).isEmpty();
        return rule.evaluateResource(call, CallReads.read(rule.callAugments(), call, SETTINGS), SETTINGS);
    }

    private static BackupApi.Plan copying(String... vaults) {
        return new BackupApi.Plan(PLAN, "v", "tables-offsite", List.of(new BackupApi.PlanRule("daily", Optional.of(35L), List.of(vaults))));
    }

    @Test
    void copyJob_ofAnAdvancedPointOfADynamoDbTable_toAVaultOutsideAllowedRegions_isHigh_namingTheTable() throws IOException {
        when(api.describeRecoveryPoint("Default", POINT)).thenReturn(new BackupApi.RecoveryPoint(POINT, ORDERS, "DynamoDB"));

        assertThat(decide(event("backup-start-copy-job-advanced.json"))).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.resource().arn()).isEqualTo(POINT);
            assertThat(f.detail()).contains("a backup of DynamoDB table " + ORDERS).contains("ap-southeast-2")
                    .doesNotContain("in case");
        });
    }

    @Test
    void aMemberAccountsCopyJob_shouldBeAskedOfAwsBackupInThatAccount() throws IOException {
        String member = "222222222222";
        when(api.describeRecoveryPoint(anyString(), anyString())).thenReturn(new BackupApi.RecoveryPoint(
                POINT.replace("123456789012", member), ORDERS.replace("123456789012", member), "DynamoDB"));
        String record = Files.readString(Path.of("../../events", "backup-start-copy-job-advanced.json")).replace("123456789012", member);

        assertThat(decide((ObjectNode) TestEvents.tree(record))).isPresent();
        assertThat(accounts).containsOnly(member).isNotEmpty();
    }

    @Test
    void copyJob_ofAnotherServicesPoint_isNotTheRulesBusiness() throws IOException {
        when(api.describeRecoveryPoint("Default", POINT)).thenReturn(new BackupApi.RecoveryPoint(POINT,
                "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1", "EFS"));

        assertThat(decide(event("backup-start-copy-job-advanced.json"))).isEmpty();
    }

    @Test
    void copyJob_whenAwsBackupCannotSay_shouldFailClosed_sayingWhy() throws IOException {
        when(api.describeRecoveryPoint("Default", POINT)).thenThrow(mock(BackupApiException.class, invocation ->
                invocation.getMethod().getName().equals("reason") ? "AWS Backup refused ddb-warden (HTTP 403)" : null));

        assertThat(decide(event("backup-start-copy-job-advanced.json"))).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("AWS Backup refused ddb-warden (HTTP 403)").contains("in case");
        });
    }

    @Test
    void copyJob_toAnAllowedRegion_isCompliant() throws IOException {
        ObjectNode event = event("backup-start-copy-job-advanced.json");
        TestEvents.request(event).put("destinationBackupVaultArn", "arn:aws:backup:us-east-1:123456789012:backup-vault:near");
        when(api.describeRecoveryPoint("Default", POINT)).thenReturn(new BackupApi.RecoveryPoint(POINT, ORDERS, "DynamoDB"));

        assertThat(decide(event)).isEmpty();
    }

    @Test
    void aSelectionOfATable_addedToAPlanCopyingOutsideAllowedRegions_isHigh() throws IOException {
        when(api.selection(PLAN, "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b")).thenReturn(new BackupApi.Selection(
                "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b", "orders", List.of(ORDERS), List.of(), false));
        when(api.backupPlan(PLAN, Optional.empty())).thenReturn(copying(OFFSITE));

        assertThat(decide(event("backup-create-selection.json"))).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.resource().arn()).isEqualTo("arn:aws:backup:us-east-1:123456789012:backup-plan:" + PLAN
                    + "/selection/3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b");
            assertThat(f.detail()).contains(ORDERS).contains(OFFSITE).contains("ap-southeast-2").doesNotContain("in case");
        });
    }

    @Test
    void aNewPlanWithoutSelections_coversNothingYet_andItsCopiesAreNotRead() throws IOException {
        when(api.selections(PLAN)).thenReturn(List.of());

        assertThat(decide(event("backup-create-plan-copy.json"))).isEmpty();
        verify(api, never()).backupPlan(anyString(), any());
    }

    @Test
    void aChangedPlanCoveringTables_whoseCopiesStayInAllowedRegions_isCompliant_andOneCopyOutsideIsHigh() throws IOException {
        when(api.selections("8a6a5f5e-3c1b-4d2e-9f0a-7b6c5d4e3f21")).thenReturn(List.of(
                new BackupApi.Selection("s", "all", List.of("*"), List.of(), false)));
        when(api.backupPlan("8a6a5f5e-3c1b-4d2e-9f0a-7b6c5d4e3f21", Optional.of("NjQ2ZTI5YTQtNmEwZi00ZDhkLWE2ZjEtZTg1OGFiODIzMmZk")))
                .thenReturn(copying("arn:aws:backup:us-east-1:123456789012:backup-vault:near"))
                .thenReturn(copying("arn:aws:backup:us-east-1:123456789012:backup-vault:near", OFFSITE));

        assertThat(decide(event("backups-update-plan.json"))).isEmpty();
        assertThat(decide(event("backups-update-plan.json"))).hasValueSatisfying(f -> assertThat(f.detail())
                .contains("Its copy actions send every recovery point it makes to " + OFFSITE).doesNotContain("backup-vault:near"));
    }

    @Test
    void onTheRecordAlone_aNewPlansCopyActionsOutsideAllowedRegions_countInCase() throws IOException {
        ApiCall call = TestEvents.call(event("backup-create-plan-copy.json"));

        assertThat(rule.evaluateResource(call, SETTINGS)).hasValueSatisfying(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains(OFFSITE).contains("AWS Backup was not asked").contains("in case");
        });
    }
}
