package dev.ddbwarden.rules.egress;

import dev.ddbwarden.backup.Coverage;

import java.util.List;
import java.util.Optional;

/**
 * What AWS Backup said of a plan a call made, changed or added a selection to: what it (or the new selection) covers
 * of DynamoDB, and the vaults its rules' copy actions send recovery points to.
 *
 * @param destinations every rule's {@code DestinationBackupVaultArn}, as AWS Backup keeps the plan
 * @param unread       why the plan could not be read, when it could not
 */
record PlanCopies(Coverage coverage, List<String> destinations, Optional<String> unread) {
    PlanCopies {
        destinations = List.copyOf(destinations);
    }
}
