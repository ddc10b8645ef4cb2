package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** README's first command, as a new user types it: it must run to the end and show what it promises. */
class DemoProcessIT {

    @Test
    void demo_shouldFixTheEstate_andShowTheAlerts() throws Exception {
        Path out = Files.createTempFile("demo-out", ".txt");
        Process demo = new ProcessBuilder(Project.ROOT.resolve("warden").toString(), "demo")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(demo.waitFor(240, TimeUnit.SECONDS)).as("demo finished").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);

        assertThat(demo.exitValue()).as(text).isZero();
        assertThat(text)
                .contains("orders                         UNPROTECTED")
                .contains("policy: ReportsReader, EveryoneRead          policy: ReportsReader")
                .contains("QUARANTINED, policy: DdbWardenQuarantine, 25 items")
                .contains("[CRITICAL] ddb-warden public-access: shared-reports")
                .contains("legacy-sessions                UNPROTECTED                                  UNPROTECTED, decommission until")
                .contains("[CRITICAL] ddb-warden deletion-protection: billing-archive (us-east-1) - forged event")
                .contains("billing-archive                UNPROTECTED                                  protected")
                .contains("update-continuous-backups-off.json         -> PointInTimeRecoveryFunction: HIGH FIXED")
                .contains("payments (PITR)                PITR OFF                                     PITR on, 35 days")
                .contains("update-time-to-live-enabled.json           -> TtlFunction: HIGH FIXED")
                .contains("orders (TTL)                   TTL ON, over createdAt                       TTL off")
                .contains("backups-delete-backup.json                 -> BackupGuardFunction: HIGH ALERTED")
                .contains("[HIGH] ddb-warden backups: payments (us-east-1) - backup deleted")
                .contains("table-key-disable-key.json                 -> TableKeyFunction: CRITICAL FIXED")
                .contains("KMS key of ledger-archive, card-tokens Disabled                                     Enabled")
                .contains(String.format("%-42s -> EncryptionFunction: HIGH ALERTED", "update-table-sse-aws-owned.json"))
                .contains("export-outside-allowed-regions.json        -> EgressFunction: HIGH ALERTED")
                .contains("untag-resource-required-tag.json           -> TableTagsFunction: LOW ALERTED")
                .contains("[LOW] ddb-warden tags: payments (us-east-1) - required tag removed")
                .contains("create-table-unprotected.json              -> TableTagsFunction: COMPLIANT")
                .contains("guardrails-detach-policy.json              -> GuardrailsFunction: CRITICAL ALERTED")
                .contains("[CRITICAL] ddb-warden guardrails: ")
                .contains("dax-create-cluster-plaintext.json          -> DaxFunction: HIGH ALERTED")
                .contains("[HIGH] ddb-warden dax: orders-cache (us-east-1) - DAX cluster in plain text")
                .contains("-> IamUsersFunction: MEDIUM ALERTED")
                .contains("[MEDIUM] ddb-warden iam-users: Alice (us-east-1) - IAM user called DynamoDB")
                .contains("create-table-unprotected.json              -> PrivateNetworkFunction: LOW FIXED")
                .contains("private-network-data-get-item-outside.json -> PrivateNetworkFunction: HIGH ALERTED")
                .contains("[HIGH] ddb-warden private-network: orders (us-east-1) - reached from outside its VPC endpoints")
                .contains("policy: DdbWardenPrivateNetwork")
                .contains("the re-delivered event added none")
                .contains("moto_server stopped.");
    }
}
