package dev.ddbwarden.local;

import dev.ddbwarden.backup.BackupApi;
import dev.ddbwarden.backup.BackupApiException;
import dev.ddbwarden.config.PerAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ddb-warden's AWS Backup client (written for want of the SDK's backup module) against moto_server 5.2.1, for the one
 * read moto models: GetBackupPlan (moto's backup/responses.py has plans, vaults and vault locks, but no recovery
 * points, selections or plan versions; those are checked against a wire stub in BackupApiTest). The plan is made in
 * moto with a CreateBackupPlan signed here, as the AWS CLI would send it; the client finds moto through
 * aws.endpointUrl, as every SDK client of ddb-warden does.
 */
class BackupApiIT {
    private final Harness harness = new Harness();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    /** CreateBackupPlan (PUT /backup/plans/) sent to moto, signed as AWS Backup's; the new plan's ID. */
    private String createPlan(String planJson) throws Exception {
        URI endpoint = URI.create(harness.moto.endpoint() + "/backup/plans/");
        byte[] body = ("{\"BackupPlan\":" + planJson + "}").getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(DefaultCredentialsProvider.builder().build().resolveCredentials())
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(endpoint)
                        .putHeader("Content-Type", "application/json").build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "backup")
                .putProperty(AwsV4HttpSigner.REGION_NAME, LocalAws.REGION)).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                request.header(name, values.get(0));
            }
        });
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Harness.JSON.readTree(response.body()).path("BackupPlanId").asText();
    }

    @Test
    void getBackupPlan_shouldReadEachRulesRetentionAndCopyDestinations_fromMoto() throws Exception {
        // GIVEN a plan in moto keeping its points 35 days and copying them to a vault in ap-southeast-2
        String planId = createPlan("""
                {"BackupPlanName":"daily","Rules":[{"RuleName":"keep","TargetBackupVaultName":"Default",
                 "Lifecycle":{"DeleteAfterDays":35},
                 "CopyActions":[{"DestinationBackupVaultArn":"arn:aws:backup:ap-southeast-2:123456789012:backup-vault:dr"}]}]}""");

        // WHEN ddb-warden's client reads it
        BackupApi.Plan plan = BackupApi.in(PerAccount.OWN, LocalAws.REGION).backupPlan(planId, Optional.empty());

        // THEN the rule's retention and copy destination are read as moto keeps them
        assertThat(plan.planId()).isEqualTo(planId);
        assertThat(plan.versionId()).isNotEmpty();
        assertThat(plan.name()).isEqualTo("daily");
        assertThat(plan.rules()).containsExactly(new BackupApi.PlanRule("keep", Optional.of(35L),
                List.of("arn:aws:backup:ap-southeast-2:123456789012:backup-vault:dr")));
    }

    @Test
    void aPlanMotoDoesNotHave_shouldBeNotFound() {
        assertThatThrownBy(() -> BackupApi.in(PerAccount.OWN, LocalAws.REGION).backupPlan("no-such-plan", Optional.empty()))
                .isInstanceOfSatisfying(BackupApiException.class,
                        e -> assertThat(e.kind()).isEqualTo(BackupApiException.Kind.NOT_FOUND));
    }
}
