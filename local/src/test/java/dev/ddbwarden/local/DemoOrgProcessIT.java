package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's Organization demo, as a user types it: each member's calls fixed in that member (read with its own
 * credentials), the security account's ledger and alerts naming each member, the findings in each member's Security
 * Hub, and the sweep across the three accounts reporting first and fixing second; exit 0 only when all of it held.
 */
class DemoOrgProcessIT {

    @Test
    void demoOrg_shouldFixEachMember_throughItsRole_andSweepTheThreeAccounts() throws Exception {
        Path out = Files.createTempFile("demo-org-out", ".txt");
        Process demo = new ProcessBuilder(Project.ROOT.resolve("warden").toString(), "demo", "--org")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(demo.waitFor(240, TimeUnit.SECONDS)).as("demo finished").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);

        assertThat(demo.exitValue()).as(text).isZero();
        assertThat(text)
                .contains("member.yaml's role /ddb-warden/ddb-warden-remediator created in each member")
                .contains("222222222222 update-table-protection-off.json      -> DeletionProtectionFunction: MEDIUM FIXED")
                .contains("333333333333 put-resource-policy-public.json       -> PublicAccessFunction: CRITICAL FIXED")
                .contains("222222222222  orders: protected, payments: protected, shared-reports: no policy")
                .contains("333333333333  orders: protected, payments: protected, shared-reports: policy: ReportsReader\n")
                .contains("deletion-protection#arn:aws:dynamodb:us-east-1:222222222222:table/payments   FIXED")
                .contains("public-access#arn:aws:dynamodb:us-east-1:333333333333:table/shared-reports   FIXED")
                .contains("account 222222222222  [MEDIUM] ddb-warden deletion-protection: payments (us-east-1)")
                .contains("account 333333333333  [CRITICAL] ddb-warden public-access: shared-reports (us-east-1)")
                .containsPattern("222222222222  ddb-warden/deletion-protection/arn:aws:dynamodb:us-east-1:222222222222:table/payments +PASSED ARCHIVED")
                .containsPattern("333333333333  ddb-warden/public-access/arn:aws:dynamodb:us-east-1:333333333333:table/shared-reports +PASSED ARCHIVED")
                .containsPattern("333333333333  ddb-warden/point-in-time-recovery/\\S+ +FAILED ACTIVE")
                .contains("over 3 accounts x 1 region")
                .contains("333333333333  4 tables, legacy-exports deletion-protection NOT_FIXED_NOTIFY_MODE")
                .contains("333333333333  4 tables, legacy-exports deletion-protection FIXED")
                .contains("222222222222  3 tables, all compliant")
                .contains("333333333333's legacy-exports: protected")
                .contains("Every expectation held.")
                .doesNotContain("NOT as expected");
    }
}
