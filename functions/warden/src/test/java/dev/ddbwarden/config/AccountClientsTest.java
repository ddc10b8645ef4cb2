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
        return new AccountClients<>(() -> access, (account, region) -> {
            String client = region.id() + " as " + access.credentials(account).resolveCredentials().accessKeyId();
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
}
