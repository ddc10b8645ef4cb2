package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountAccessTest {
    private static final String HOME = "111111111111";
    private static final String MEMBER = "222222222222";
    private final AwsCredentialsProvider own = StaticCredentialsProvider.create(AwsBasicCredentials.create("own", "own"));
    private final List<String> assumed = new ArrayList<>();

    private AccountAccess access(String role) {
        return new AccountAccess(role, "aws", () -> HOME, own, arn -> {
            assumed.add(arn);
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(arn, "secret"));
        });
    }

    @Test
    void homeAccount_shouldUseTheFunctionsOwnCredentials_withOrWithoutAMemberRole() {
        assertThat(access("").credentials(HOME)).isSameAs(own);
        assertThat(access("ddb-warden-remediator").credentials(HOME)).isSameAs(own);
        assertThat(assumed).isEmpty();
    }

    @Test
    void anotherAccount_shouldNotBeActedIn_whenNoMemberRoleIsSet() {
        AccountAccess single = access("");
        assertThat(single.mayActIn(HOME)).isTrue();
        assertThat(single.mayActIn(MEMBER)).isFalse();
        assertThat(single.credentials(MEMBER)).isSameAs(own);
        assertThat(assumed).isEmpty();
    }

    @Test
    void memberAccount_shouldAssumeTheMemberRoleUnderItsPath_oncePerAccount() {
        AccountAccess org = access("ddb-warden-remediator");
        AwsCredentialsProvider first = org.credentials(MEMBER);
        AwsCredentialsProvider again = org.credentials(MEMBER);
        assertThat(again).isSameAs(first);
        assertThat(assumed).containsExactly("arn:aws:iam::222222222222:role/ddb-warden/ddb-warden-remediator");
        assertThat(first.resolveCredentials().accessKeyId()).isEqualTo(assumed.get(0));
    }

    @Test
    void aRenamedMemberRole_shouldBeAssumedAfresh_asTheSettingsNameIt() {
        String[] name = {"ddb-warden-remediator"};
        AccountAccess org = new AccountAccess(() -> name[0], "aws", () -> HOME, own, arn -> {
            assumed.add(arn);
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(arn, "secret"));
        });
        org.credentials(MEMBER);
        name[0] = "renamed";
        assertThat(org.credentials(MEMBER).resolveCredentials().accessKeyId())
                .isEqualTo("arn:aws:iam::222222222222:role/ddb-warden/renamed");
        name[0] = "";
        assertThat(org.mayActIn(MEMBER)).isFalse();
        assertThat(org.credentials(MEMBER)).isSameAs(own);
        assertThat(assumed).hasSize(2);
    }

    @Test
    void aRestoredSnapshot_shouldAssumeTheRoleAfresh() {
        AccountAccess org = access("ddb-warden-remediator");
        org.credentials(MEMBER);
        org.afterRestore(null);
        org.credentials(MEMBER);
        assertThat(assumed).hasSize(2);
    }

    @Test
    void aMalformedAccountOrRoleName_shouldBeRefused() {
        AccountAccess org = access("ddb-warden-remediator");
        assertThat(org.mayActIn("22222222222x")).isFalse();
        assertThatThrownBy(() -> org.credentials("../../x")).isInstanceOf(AccountAccess.AccountRefused.class);
        assertThatThrownBy(() -> access("a/b")).isInstanceOf(ConfigException.class).hasMessageContaining("MEMBER_ROLE_NAME");
        assertThat(assumed).isEmpty();
    }

    @Test
    void theFunctionsOwnArn_shouldNameTheHomeAccount_withoutAskingSts() {
        AccountAccess.runsIn("not an account");
        assertThat(AccountAccess.functionAccountOr(() -> "from STS").get()).isIn("from STS", HOME);

        AccountAccess.runsIn(HOME);

        assertThat(AccountAccess.functionAccountOr(() -> {
            throw new AssertionError("STS asked");
        }).get()).isEqualTo(HOME);
    }
}
