package dev.ddbwarden.rules.backups;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.backup.BackupApi;
import dev.ddbwarden.backup.BackupCoverage;
import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * What the backups rule asks AWS Backup, and of which calls: a mocked AWS Backup client (the client's own wire is
 * tested in BackupApiTest against a stub; moto models no recovery points). Only what still exists is asked about.
 */
class BackupsCoverageTest {
    private static final String ADVANCED = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45";
    private static final String ORDERS = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    private static final Settings DEFAULTS = Settings.from(name -> null);
    private final BackupApi api = mock(BackupApi.class);
    /** The accounts AWS Backup was asked in. */
    private final List<String> accounts = new ArrayList<>();
    private final BackupsCoverage augment = new BackupsCoverage(new BackupCoverage((account, region) -> {
        accounts.add(account);
        return api;
    }));

    private static ObjectNode event(String file) throws IOException {
        return (ObjectNode) TestEvents.tree(Files.readString(Path.of("../../events", file)));
    }

    @Test
    void updateLifecycle_ofAnAdvancedPoint_shouldDescribeItInItsVault() throws IOException {
        when(api.describeRecoveryPoint("prod-vault", ADVANCED)).thenReturn(new BackupApi.RecoveryPoint(ADVANCED, ORDERS, "DynamoDB"));

        Optional<Coverage> read = augment.read(TestEvents.call(event("backups-update-lifecycle.json")), DEFAULTS);

        assertThat(read).contains(new Coverage.Tables(List.of(ORDERS)));
    }

    @Test
    void vaultLockRemoval_shouldListTheVaultsDynamoDbPoints() throws IOException {
        when(api.recoveryPointsOfType("prod-vault", "DynamoDB", 20)).thenReturn(List.of(
                new BackupApi.RecoveryPoint("p1", ORDERS, "DynamoDB"), new BackupApi.RecoveryPoint("p2", ORDERS, "DynamoDB")));

        Optional<Coverage> read = augment.read(TestEvents.call(event("backups-delete-vault-lock.json")), DEFAULTS);

        assertThat(read).contains(new Coverage.Tables(List.of(ORDERS)));
        verify(api).recoveryPointsOfType("prod-vault", "DynamoDB", 20);
    }

    @Test
    void aMemberAccountsPointAndVault_shouldBeAskedInThatAccount() throws IOException {
        String member = "222222222222";
        when(api.describeRecoveryPoint(anyString(), anyString())).thenReturn(new BackupApi.RecoveryPoint(ADVANCED, ORDERS, "DynamoDB"));
        when(api.recoveryPointsOfType(anyString(), anyString(), anyInt())).thenReturn(List.of(new BackupApi.RecoveryPoint("p1", ORDERS, "DynamoDB")));

        for (String file : List.of("backups-update-lifecycle.json", "backups-delete-vault-lock.json")) {
            String record = Files.readString(Path.of("../../events", file)).replace("123456789012", member);
            assertThat(augment.read(TestEvents.call(TestEvents.tree(record)), DEFAULTS)).isPresent();
        }

        assertThat(accounts).containsExactly(member, member);
    }

    @ParameterizedTest
    @ValueSource(strings = {"backups-delete-recovery-point-advanced.json", "backups-delete-vault.json", "backups-delete-plan.json",
            "backups-delete-selection.json", "backups-delete-recovery-point-dynamodb.json", "backups-delete-backup.json"})
    void whatIsDeleted_cannotBeReadAfterTheCall_andIsNotAsked(String file) throws IOException {
        assertThat(augment.read(TestEvents.call(event(file)), DEFAULTS)).isEmpty();
        verifyNoInteractions(api);
    }

    @Test
    void awsBackupsOwnCall_andARetentionThatKeepsForEver_shouldAskNothing() throws IOException {
        ObjectNode byAwsBackup = event("backups-update-lifecycle.json");
        TestEvents.detail(byAwsBackup).putObject("userIdentity").put("type", "AWSService").put("invokedBy", "backup.amazonaws.com");
        ObjectNode forEver = event("backups-update-lifecycle.json");
        TestEvents.request(forEver).putObject("lifecycle").put("moveToColdStorageAfterDays", 30);

        assertThat(augment.read(TestEvents.call(byAwsBackup), DEFAULTS)).isEmpty();
        assertThat(augment.read(TestEvents.call(forEver), DEFAULTS)).isEmpty();
        verifyNoInteractions(api);
    }
}
