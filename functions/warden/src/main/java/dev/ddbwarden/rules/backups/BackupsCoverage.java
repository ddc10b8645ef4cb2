package dev.ddbwarden.rules.backups;

import dev.ddbwarden.backup.BackupCoverage;
import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.state.CallAugment;

import java.util.Optional;

/**
 * Asks AWS Backup what a call's resource holds of DynamoDB, where it still can be asked: the recovery point whose
 * retention UpdateRecoveryPointLifecycle shortened (DescribeRecoveryPoint), the vault whose lock was removed
 * (ListRecoveryPointsByBackupVault of type DynamoDB). A deleted recovery point, vault, plan or selection is gone
 * after the call and cannot be read: those are decided on the record alone. Nothing is read for a call AWS Backup
 * made itself or one that keeps the point for ever.
 */
final class BackupsCoverage implements CallAugment<Coverage> {
    private final BackupCoverage coverage;

    BackupsCoverage(BackupCoverage coverage) {
        this.coverage = coverage;
    }

    @Override
    public Class<Coverage> type() {
        return Coverage.class;
    }

    @Override
    public Optional<Coverage> read(ApiCall call, Settings settings) {
        if (BackupCalls.byAwsBackup(call) || BackupCalls.keepsForEver(call)) {
            return Optional.empty();
        }
        return switch (call.eventName()) {
            case BackupCalls.UPDATE_LIFECYCLE -> BackupCalls.recoveryPoint(call)
                    .filter(point -> BackupCalls.service(point.arn()).filter("backup"::equals).isPresent())
                    .filter(point -> BackupCalls.vault(call).isPresent())
                    .map(point -> coverage.ofRecoveryPoint(call.accountId(), call.region(), call.request("backupVaultName"), point.arn()));
            case BackupCalls.DELETE_VAULT_LOCK -> BackupCalls.vault(call).map(ResourceRef::name)
                    .map(vault -> coverage.ofVault(call.accountId(), call.region(), vault));
            default -> Optional.empty();
        };
    }
}
