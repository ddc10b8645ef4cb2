package dev.ddbwarden.rules.encryption;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableResponse;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyState;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The fix over mocked clients: moto accepts UpdateTable's SSESpecification but ignores it (moto 5.2.1 keeps the
 * table's key from CreateTable), so only a mock shows the exact request, and a key's AWS managed kind.
 */
class RestoreKeyFixTest {
    private final DynamoDbClient dynamo = SdkMocks.client(DynamoDbClient.class);
    private final KmsClient kms = SdkMocks.client(KmsClient.class);
    private final RestoreKeyFix fix = new RestoreKeyFix(RegionalDynamo.single(dynamo), (account, region) -> kms);
    private final TableState owned = new TableState(TestEvents.table("payments"), "ACTIVE", Map.of())
            .withAugment(Sse.class, Sse.awsOwned());

    private void givenKey(KeyManagerType manager, KeyState state) {
        when(kms.describeKey(any(DescribeKeyRequest.class))).thenReturn(DescribeKeyResponse.builder()
                .keyMetadata(k -> k.arn(EncryptionRuleTest.KEY).keyManager(manager).keyState(state)).build());
    }

    @Test
    void apply_shouldPutTheTableUnderTheKey_whenKmsSaysItIsCustomerManagedAndEnabled() {
        givenKey(KeyManagerType.CUSTOMER, KeyState.ENABLED);
        when(dynamo.updateTable(any(UpdateTableRequest.class))).thenReturn(UpdateTableResponse.builder().build());

        Outcome outcome = fix.apply(new EncryptionRule.EncryptionRemedy.RestoreKey(EncryptionRuleTest.KEY), owned);

        ArgumentCaptor<UpdateTableRequest> sent = ArgumentCaptor.forClass(UpdateTableRequest.class);
        verify(dynamo).updateTable(sent.capture());
        assertThat(sent.getValue().tableName()).isEqualTo(TestEvents.table("payments").arn());
        assertThat(sent.getValue().sseSpecification()).isEqualTo(SSESpecification.builder().enabled(true)
                .sseType(SSEType.KMS).kmsMasterKeyId(EncryptionRuleTest.KEY).build());
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.after()).isEmpty();
    }

    @Test
    void apply_shouldLeaveTheTable_whenThePreviousKeyIsDisabled_orAwsManaged() {
        givenKey(KeyManagerType.CUSTOMER, KeyState.DISABLED);
        Outcome disabled = fix.apply(new EncryptionRule.EncryptionRemedy.RestoreKey(EncryptionRuleTest.KEY), owned);
        givenKey(KeyManagerType.AWS, KeyState.ENABLED);
        Outcome managed = fix.apply(new EncryptionRule.EncryptionRemedy.RestoreKey(EncryptionRuleTest.KEY), owned);

        verify(dynamo, never()).updateTable(any(UpdateTableRequest.class));
        assertThat(disabled.action()).isEqualTo(Outcome.Action.ALERTED);
        assertThat(disabled.description()).contains("is Disabled").contains("inaccessible");
        assertThat(managed.action()).isEqualTo(Outcome.Action.ALERTED);
        assertThat(managed.description()).contains("not known to be customer managed");
    }

    @Test
    void apply_shouldCallNothing_whenTheTableIsAlreadyUnderTheKey() {
        TableState under = owned.withAugment(Sse.class, new Sse(Sse.Kind.CUSTOMER, Optional.of(EncryptionRuleTest.KEY),
                Optional.of("Enabled")));

        Outcome outcome = fix.apply(new EncryptionRule.EncryptionRemedy.RestoreKey(EncryptionRuleTest.KEY), under);

        assertThat(outcome.action()).isEqualTo(Outcome.Action.ALREADY_COMPLIANT);
        verify(kms, never()).describeKey(any(DescribeKeyRequest.class));
    }
}
