package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.Clients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./warden sweep --accounts} looks beside tables in every account it sweeps, through the member role: a DAX
 * cluster in plain text and an IAM user with DynamoDB access in the security account and in a member, in one
 * moto_server (which keeps each account's IAM users and DAX clusters apart by the credentials AssumeRole gave). Each
 * account's cluster is alerted by the sweep of that account's region, and each account's user once, however many
 * regions are swept (IAM is global).
 */
class OrgSweepLooksIT {
    private static final String HOME = "123456789012";
    private static final String MEMBER = "222222222222";
    private static final String ROLE = "ddb-warden-remediator";
    private static final List<String> REGIONS = List.of(LocalAws.REGION, "eu-west-1");
    private static final String ORDERS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"dynamodb:GetItem\",\"dynamodb:PutItem\"],\"Resource\":\"*\"}]}";

    private final Harness harness = new Harness();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void sweep_overTwoAccounts_shouldAlertEachAccountsClustersAndUsers_readInThatAccount() throws Exception {
        // GIVEN in each account a plain-text DAX cluster in eu-west-1 and an IAM user that may write DynamoDB
        for (String account : List.of(HOME, MEMBER)) {
            AwsCredentialsProvider credentials = credentialsIn(account);
            createPlainTextCluster(credentials, "eu-west-1", "cache-" + account);
            try (IamClient iam = Clients.standard(IamClient.builder()).region(Region.AWS_GLOBAL).credentialsProvider(credentials).build()) {
                iam.createUser(r -> r.userName("loader-" + account));
                iam.putUserPolicy(r -> r.userName("loader-" + account).policyName("orders").policyDocument(ORDERS));
            }
        }

        // WHEN ./warden sweep walks the two accounts x two regions
        WardenProcess.Run run = sweep();

        // THEN each account's cluster is alerted, named in its own account ...
        assertThat(run.status()).as(run.stderr()).isZero();
        List<JsonNode> alerts = harness.estate.drainAlerts();
        for (String account : List.of(HOME, MEMBER)) {
            assertThat(alerts).as("the cluster of " + account).filteredOn(a -> a.path("Subject").asText().contains("ddb-warden dax")
                    && a.path("Message").asText().contains("arn:aws:dax:eu-west-1:" + account + ":cache/cache-" + account)).hasSize(1);
            // ... and each account's user once, not once per region swept
            assertThat(alerts).as("the user of " + account).filteredOn(a -> a.path("Subject").asText().contains("ddb-warden iam-users")
                    && a.path("Message").asText().contains("arn:aws:iam::" + account + ":user/loader-" + account)).hasSize(1);
        }
    }

    private WardenProcess.Run sweep() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("LEDGER_TABLE", LocalEstate.LEDGER);
        env.put("ALERT_TOPIC_ARN", harness.topicArn);
        env.put("ALLOWED_REGIONS", String.join(",", REGIONS));
        env.put("MEMBER_ROLE_NAME", ROLE);
        return WardenProcess.run(harness.moto.endpoint(), List.of("REMEDIATION_MODE", "SWEEP_REGIONS", "SWEEP_REPORT_ONLY",
                "SWEEP_MAX_FIXES", "SWEEP_ACCOUNTS", "POWERTOOLS_LOG_LEVEL"), env, Duration.ofSeconds(300),
                "sweep", "--regions", String.join(",", REGIONS), "--accounts", MEMBER);
    }

    /** The test's own credentials at home, a member's from AssumeRole (moto keeps what they make in that account). */
    private static AwsCredentialsProvider credentialsIn(String account) {
        if (account.equals(HOME)) {
            return DefaultCredentialsProvider.builder().build();
        }
        try (StsClient client = Clients.standard(StsClient.builder()).build()) {
            Credentials c = client.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/ddb-warden/" + ROLE)
                    .roleSessionName("org-sweep-looks-it")).credentials();
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        }
    }

    /**
     * CreateCluster as one JSON 1.1 request (there is no DAX module of the SDK here): moto takes the region from the
     * Authorization header's credential scope and the account from its access key, and checks no signature.
     */
    private void createPlainTextCluster(AwsCredentialsProvider credentials, String region, String name) throws Exception {
        String body = "{\"ClusterName\":\"" + name + "\",\"NodeType\":\"dax.r5.large\",\"ReplicationFactor\":1,"
                + "\"IamRoleArn\":\"arn:aws:iam::" + HOME + ":role/service-role/dax-orders\","
                + "\"ClusterEndpointEncryptionType\":\"NONE\",\"SSESpecification\":{\"Enabled\":false}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(harness.moto.endpoint()))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonDAXV3.CreateCluster")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.resolveCredentials().accessKeyId()
                        + "/20240604/" + region + "/dax/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
