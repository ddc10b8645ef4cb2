package dev.ddbwarden.backup;

import dev.ddbwarden.config.Clients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS Backup client against a local HTTP stub speaking AWS Backup's REST-JSON protocol (BackupStub): moto_server
 * models none of recovery points, selections or plan versions, so the signed request (method, encoded path, query,
 * SigV4 credential scope) and the parsing of AWS Backup's documented answers are checked here; GetBackupPlan also
 * runs against moto_server (local module, BackupApiIT).
 */
class BackupApiTest {
    private static final String POINT = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45";
    private final BackupStub stub = new BackupStub();
    private final List<Duration> slept = new ArrayList<>();
    private final BackupApi api = new BackupApi(new BackupHttp(Clients.http(), stub.endpoint(), "us-east-1",
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), slept::add));

    @AfterEach
    void tearDown() {
        stub.close();
    }

    @Test
    void describeRecoveryPoint_shouldSignAGetWithTheArnEncodedAsOneSegment_andReadWhatItWasTakenOf() {
        // GIVEN AWS Backup describing a DynamoDB table's recovery point made with advanced features
        stub.answer("""
                {"RecoveryPointArn":"%s","BackupVaultName":"Default","ResourceType":"DynamoDB",
                 "ResourceArn":"arn:aws:dynamodb:us-east-1:123456789012:table/orders","Status":"COMPLETED"}""".formatted(POINT));

        // WHEN it is described
        BackupApi.RecoveryPoint point = api.describeRecoveryPoint("Default", POINT);

        // THEN one signed GET, the ARN's ':' and '/' encoded, scoped to AWS Backup in the region; the table is read
        BackupStub.Seen request = stub.seen.get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawPath()).isEqualTo("/backup-vaults/Default/recovery-points/"
                + "arn%3Aaws%3Abackup%3Aus-east-1%3A123456789012%3Arecovery-point%3A1EB3B5E7-9EB0-435A-A80B-108B488B0D45");
        assertThat(request.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/us-east-1/backup/aws4_request").contains("SignedHeaders=").contains("Signature=");
        assertThat(request.header("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
        assertThat(point).isEqualTo(new BackupApi.RecoveryPoint(POINT, "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
                "DynamoDB"));
        assertThat(point.ofDynamoDb()).isTrue();
    }

    @Test
    void aSlashInASegment_shouldBeEncoded_notTakenForAPathSeparator() {
        stub.answer("{\"ResourceType\":\"EBS\",\"ResourceArn\":\"arn:aws:ec2:us-east-1:123456789012:volume/vol-1\"}");

        BackupApi.RecoveryPoint point = api.describeRecoveryPoint("Default", "arn:aws:ec2:us-east-1::snapshot/snap-1");

        assertThat(stub.seen.get(0).rawPath()).endsWith("/recovery-points/arn%3Aaws%3Aec2%3Aus-east-1%3A%3Asnapshot%2Fsnap-1");
        assertThat(point.ofDynamoDb()).isFalse();
    }

    @Test
    void recoveryPointsOfType_shouldFilterByResourceType_followNextToken_andStopAtTheLimit() {
        // GIVEN two pages of DynamoDB recovery points
        stub.answer("""
                {"RecoveryPoints":[{"RecoveryPointArn":"p1","ResourceArn":"arn:aws:dynamodb:us-east-1:123456789012:table/a","ResourceType":"DynamoDB"}],
                 "NextToken":"t+2/="}""")
            .answer("""
                {"RecoveryPoints":[{"RecoveryPointArn":"p2","ResourceArn":"arn:aws:dynamodb:us-east-1:123456789012:table/b","ResourceType":"DynamoDB"},
                                   {"RecoveryPointArn":"p3","ResourceArn":"arn:aws:dynamodb:us-east-1:123456789012:table/c","ResourceType":"DynamoDB"}]}""");

        // WHEN at most two are asked for
        List<BackupApi.RecoveryPoint> points = api.recoveryPointsOfType("locked-vault", "DynamoDB", 2);

        // THEN the filter is the documented query parameter, the token is sent back encoded, and two are kept
        assertThat(stub.seen.get(0).rawPath()).isEqualTo("/backup-vaults/locked-vault/recovery-points/");
        assertThat(stub.seen.get(0).rawQuery()).isEqualTo("resourceType=DynamoDB");
        assertThat(stub.seen.get(1).rawQuery()).contains("resourceType=DynamoDB").contains("nextToken=t%2B2%2F%3D");
        assertThat(points).extracting(BackupApi.RecoveryPoint::resourceArn)
                .containsExactly("arn:aws:dynamodb:us-east-1:123456789012:table/a", "arn:aws:dynamodb:us-east-1:123456789012:table/b");
    }

    @Test
    void backupPlan_shouldAskForTheVersion_andReadEachRulesRetentionAndCopies() {
        stub.answer("""
                {"BackupPlanId":"plan-1","VersionId":"v1","BackupPlan":{"BackupPlanName":"daily","Rules":[
                  {"RuleName":"keep","TargetBackupVaultName":"Default","Lifecycle":{"DeleteAfterDays":35},
                   "CopyActions":[{"DestinationBackupVaultArn":"arn:aws:backup:ap-southeast-2:123456789012:backup-vault:dr"}]},
                  {"RuleName":"forever","TargetBackupVaultName":"Default"}]}}""");

        BackupApi.Plan plan = api.backupPlan("plan-1", Optional.of("v1"));

        assertThat(stub.seen.get(0).rawPath()).isEqualTo("/backup/plans/plan-1/");
        assertThat(stub.seen.get(0).rawQuery()).isEqualTo("versionId=v1");
        assertThat(plan).isEqualTo(new BackupApi.Plan("plan-1", "v1", "daily", List.of(
                new BackupApi.PlanRule("keep", Optional.of(35L), List.of("arn:aws:backup:ap-southeast-2:123456789012:backup-vault:dr")),
                new BackupApi.PlanRule("forever", Optional.empty(), List.of()))));
    }

    @Test
    void planVersions_shouldBeOldestFirst_whateverTheOrderAwsBackupListsThem() {
        stub.answer("""
                {"BackupPlanVersionsList":[{"VersionId":"new","CreationDate":1733400000.5},{"VersionId":"old","CreationDate":1733300000.25}]}""");

        List<BackupApi.PlanVersion> versions = api.planVersions("plan-1");

        assertThat(stub.seen.get(0).rawPath()).isEqualTo("/backup/plans/plan-1/versions/");
        assertThat(versions).extracting(BackupApi.PlanVersion::versionId).containsExactly("old", "new");
        assertThat(versions.get(0).created().getNano()).isEqualTo(250_000_000);
    }

    @Test
    void selections_shouldListThenGetEach_tellingResourcesFromTagsAndConditions() {
        stub.answer("{\"BackupSelectionsList\":[{\"SelectionId\":\"s1\"},{\"SelectionId\":\"s2\"}]}")
            .answer("""
                {"BackupPlanId":"plan-1","SelectionId":"s1","BackupSelection":{"SelectionName":"tables",
                 "Resources":["arn:aws:dynamodb:us-east-1:123456789012:table/orders"],"NotResources":[],
                 "ListOfTags":[],"Conditions":{"StringEquals":[],"StringLike":[]}}}""")
            .answer("""
                {"BackupPlanId":"plan-1","SelectionId":"s2","BackupSelection":{"SelectionName":"tagged",
                 "Resources":[],"Conditions":{"StringEquals":[{"ConditionKey":"aws:ResourceTag/backup","ConditionValue":"daily"}]}}}""");

        List<BackupApi.Selection> selections = api.selections("plan-1");

        assertThat(stub.seen).extracting(BackupStub.Seen::rawPath).containsExactly("/backup/plans/plan-1/selections/",
                "/backup/plans/plan-1/selections/s1", "/backup/plans/plan-1/selections/s2");
        assertThat(selections).containsExactly(
                new BackupApi.Selection("s1", "tables", List.of("arn:aws:dynamodb:us-east-1:123456789012:table/orders"), List.of(), false),
                new BackupApi.Selection("s2", "tagged", List.of(), List.of(), true));
    }

    @Test
    void errors_shouldFallIntoTheClosedSet_byTheirTypeBeforeTheirStatus() {
        stub.answer(400, "ResourceNotFoundException:http://internal.amazon.com/", "{\"Message\":\"no such point\"}")
            .answer(403, "", "{\"__type\":\"com.amazonaws.backup#AccessDeniedException\",\"message\":\"not allowed\"}")
            .answer(400, "", "{\"__type\":\"InvalidParameterValueException\"}");

        assertThatThrownBy(() -> api.describeRecoveryPoint("Default", POINT)).isInstanceOfSatisfying(BackupApiException.class,
                e -> assertThat(e.kind()).isEqualTo(BackupApiException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> api.describeRecoveryPoint("Default", POINT)).isInstanceOfSatisfying(BackupApiException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(BackupApiException.Kind.ACCESS_DENIED);
                    assertThat(e.reason()).contains("refused").contains("AccessDeniedException").contains("not allowed");
                });
        assertThatThrownBy(() -> api.describeRecoveryPoint("Default", POINT)).isInstanceOfSatisfying(BackupApiException.class,
                e -> assertThat(e.kind()).isEqualTo(BackupApiException.Kind.OTHER));
        assertThat(slept).isEmpty();
    }

    @Test
    void throttlingAndServerErrors_shouldBeTriedAgain_thenGiveUpAsRetryable() {
        stub.answer(400, "ThrottlingException", "{}").answer(503, "", "{}").answer(500, "", "{}");

        assertThatThrownBy(() -> api.planVersions("plan-1")).isInstanceOfSatisfying(BackupApiException.class,
                e -> assertThat(e.kind()).isEqualTo(BackupApiException.Kind.RETRYABLE));
        assertThat(stub.seen).hasSize(BackupHttp.ATTEMPTS);
        assertThat(slept).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void aThrottledCall_shouldSucceedOnItsNextAttempt() {
        stub.answer(429, "TooManyRequestsException", "{}").answer("{\"ResourceType\":\"DynamoDB\",\"ResourceArn\":\"t\"}");

        assertThat(api.describeRecoveryPoint("Default", POINT).resourceType()).isEqualTo("DynamoDB");
        assertThat(stub.seen).hasSize(2);
    }

    @Test
    void endpoint_shouldBeTheServicesSetting_thenTheGlobalOne_thenTheRegionalEndpointOfThePartition() {
        Map<String, String> both = Map.of("AWS_ENDPOINT_URL_BACKUP", "http://127.0.0.1:5001", "AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
        assertThat(BackupHttp.endpoint("us-east-1", p -> null, both::get)).isEqualTo(URI.create("http://127.0.0.1:5001"));
        assertThat(BackupHttp.endpoint("us-east-1", p -> null, Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")::get))
                .isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(BackupHttp.endpoint("us-east-1", Map.of("aws.endpointUrlBackup", "http://127.0.0.1:5002")::get, both::get))
                .isEqualTo(URI.create("http://127.0.0.1:5002"));
        assertThat(BackupHttp.endpoint("eu-west-1", p -> null, n -> null)).isEqualTo(URI.create("https://backup.eu-west-1.amazonaws.com"));
        assertThat(BackupHttp.endpoint("cn-north-1", p -> null, n -> null)).isEqualTo(URI.create("https://backup.cn-north-1.amazonaws.com.cn"));
    }
}
