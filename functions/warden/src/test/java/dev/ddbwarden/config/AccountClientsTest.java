package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules' other clients (KMS, CloudTrail) follow the account as DynamoDB's do (RegionalDynamo). */
class AccountClientsTest {
    private static final String HOME = "111111111111";
    private static final String MEMBER = "222222222222";
    private final AwsCredentialsProvider own = StaticCredentialsProvider.create(AwsBasicCredentials.create("own", "own"));
    private final List<String> built = new ArrayList<>();

    private AccountClients<String> clients(String role) {
        AccountAccess access = new AccountAccess(role, "aws", () -> HOME, own,
                arn -> StaticCredentialsProvider.create(AwsBasicCredentials.create(arn, "secret")));
        return clients(access);
    }

    private AccountClients<String> clients(AccountAccess access) {
        return new AccountClients<>(() -> access, (identity, region) -> {
            String client = region.id() + " as " + identity.credentials().resolveCredentials().accessKeyId();
            built.add(client);
            return client;
        });
    }

    @Test
    void memberAccount_shouldGetItsOwnClient_withTheMemberRole_oncePerRegion() {
        AccountClients<String> org = clients("ddb-warden-remediator");

        assertThat(org.in(MEMBER, "eu-west-1")).isEqualTo("eu-west-1 as arn:aws:iam::222222222222:role/ddb-warden/ddb-warden-remediator");
        assertThat(org.in(HOME, "eu-west-1")).isEqualTo("eu-west-1 as own");
        org.in(MEMBER, "eu-west-1");
        org.in(MEMBER, "us-east-1");
        assertThat(built).hasSize(3);
    }

    @Test
    void oneAccountDeployment_shouldBuildOneClientPerRegion_withItsOwnCredentials() {
        AccountClients<String> single = clients("");

        assertThat(single.in(HOME, "eu-west-1")).isEqualTo("eu-west-1 as own");
        assertThat(single.in(MEMBER, "eu-west-1")).isEqualTo("eu-west-1 as own");
        assertThat(built).hasSize(1);
    }

    @Test
    void aRenamedMemberRole_orARestore_shouldGetNewClients_neverTheOldSessionsOnes() {
        String[] name = {"ddb-warden-remediator"};
        AccountAccess access = new AccountAccess(() -> name[0], "aws", () -> HOME, own,
                arn -> StaticCredentialsProvider.create(AwsBasicCredentials.create(arn + "#" + built.size(), "secret")));
        AccountClients<String> org = clients(access);

        String first = org.in(MEMBER, "eu-west-1");
        name[0] = "renamed";
        String renamed = org.in(MEMBER, "eu-west-1");
        access.afterRestore(null);
        String restored = org.in(MEMBER, "eu-west-1");

        assertThat(first).contains("role/ddb-warden/ddb-warden-remediator");
        assertThat(renamed).contains("role/ddb-warden/renamed");
        assertThat(restored).isNotEqualTo(renamed).contains("role/ddb-warden/renamed");
        assertThat(org.in(MEMBER, "eu-west-1")).isEqualTo(restored);
    }

    @Test
    void theOwnAccount_withoutAnAccountId_shouldNeverAskWhoseAccountThisIs() {
        AccountAccess access = new AccountAccess("ddb-warden-remediator", "aws", () -> {
            throw new AssertionError("STS asked");
        }, own, arn -> own);

        assertThat(clients(access).in(PerAccount.OWN, "us-east-1")).isEqualTo("us-east-1 as own");
    }

    @Test
    void theHomeClient_shouldServeTheFunctionsOwnIdentityInItsRegion_only() {
        AccountAccess access = new AccountAccess("ddb-warden-remediator", "aws", () -> HOME, own,
                arn -> StaticCredentialsProvider.create(AwsBasicCredentials.create(arn, "secret")));
        AccountClients<String> org = clients(access).with("us-east-1", "home");

        assertThat(org.in(HOME, "us-east-1")).isEqualTo("home");
        assertThat(org.in(MEMBER, "us-east-1")).endsWith("ddb-warden-remediator");
        assertThat(org.in(HOME, "eu-west-1")).isEqualTo("eu-west-1 as own");
    }
}
