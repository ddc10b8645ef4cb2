package dev.ddbwarden.backup;

import dev.ddbwarden.config.Clients;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a plan's selections, a recovery point and a vault cover of DynamoDB, as AWS Backup describes them: the
 * selection rules pure, the reads through the client on the wire stub (moto models no selections or recovery points).
 */
class CoverageTest {
    private static final String ORDERS = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";

    private static BackupApi.Selection selection(String name, List<String> resources, boolean byTags) {
        return new BackupApi.Selection(name + "-id", name, resources, List.of(), byTags);
    }

    @Test
    void aSelectionNamingATable_orEveryResource_orAWildcardService_coversDynamoDb() {
        assertThat(Coverage.ofSelections("p", List.of(selection("tables", List.of(ORDERS, "arn:aws:ec2:us-east-1:123456789012:volume/v"), false))))
                .isEqualTo(new Coverage.Tables(List.of(ORDERS)));
        assertThat(Coverage.ofSelections("p", List.of(selection("all", List.of("*"), false))))
                .isEqualTo(new Coverage.Tables(List.of("*")));
        assertThat(Coverage.ofSelections("p", List.of(selection("any", List.of("arn:aws:*:*:*:*"), false))))
                .isEqualTo(new Coverage.Tables(List.of("arn:aws:*:*:*:*")));
    }

    @Test
    void selectionsByTagsOrConditionsAlone_areUnknown_andNamedInTheReason() {
        Coverage coverage = Coverage.ofSelections("p", List.of(selection("tagged", List.of(), true),
                selection("volumes", List.of("arn:aws:ec2:us-east-1:123456789012:volume/v"), false)));

        assertThat(coverage).isInstanceOfSatisfying(Coverage.Unknown.class,
                unknown -> assertThat(unknown.why()).contains("tagged").contains("tags or conditions"));
    }

    @Test
    void selectionsOfOtherServicesOnly_orNone_areNotDynamoDbs() {
        assertThat(Coverage.ofSelections("p", List.of(selection("volumes", List.of("arn:aws:ec2:us-east-1:123456789012:volume/v"), false))))
                .isInstanceOf(Coverage.NotDynamoDb.class);
        assertThat(Coverage.ofSelections("p", List.of())).isInstanceOf(Coverage.NotDynamoDb.class);
    }

    @Test
    void readsOnTheWire_shouldTurnEveryFailureIntoUnknown_withAwsBackupsReason() {
        try (BackupStub stub = new BackupStub()) {
            BackupApi api = new BackupApi(new BackupHttp(Clients.http(), stub.endpoint(), "us-east-1",
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), d -> { }));
            BackupCoverage coverage = new BackupCoverage((account, region) -> api);
            stub.answer("{\"ResourceType\":\"EFS\",\"ResourceArn\":\"arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1\"}")
                .answer("{\"RecoveryPoints\":[]}")
                .answer(403, "AccessDeniedException", "{\"Message\":\"not authorized to perform: backup:ListBackupSelections\"}");

            assertThat(coverage.ofRecoveryPoint("123456789012", "us-east-1", "v", "arn:aws:backup:us-east-1:123456789012:recovery-point:x"))
                    .isInstanceOf(Coverage.NotDynamoDb.class);
            assertThat(coverage.ofVault("123456789012", "us-east-1", "v")).isEqualTo(new Coverage.NotDynamoDb("vault v holds no DynamoDB recovery point"));
            assertThat(coverage.ofPlan("123456789012", "us-east-1", "p")).isInstanceOfSatisfying(Coverage.Unknown.class,
                    unknown -> assertThat(unknown.why()).contains("refused").contains("backup:ListBackupSelections"));
        }
    }
}
