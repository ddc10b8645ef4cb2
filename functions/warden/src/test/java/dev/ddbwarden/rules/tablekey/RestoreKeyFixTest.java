package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.SdkMocks;
import dev.ddbwarden.TestEvents;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CancelKeyDeletionRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.EnableKeyRequest;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The fix with a mocked KMS client: moto_server does not apply key policies to ddb-warden's calls the way KMS does,
 * so a refusal is only seen here (KeyTableIT restores real keys in moto).
 */
class RestoreKeyFixTest {
    private static final String KEY = TableKeyRuleTest.KEY;
    private static final String KEY_ID = "7d3e9f21-4c5b-4a8e-9b1f-2e6a4c8d0f13";
    private final KmsClient kms = SdkMocks.client(KmsClient.class);
    private final RestoreKeyFix fix = new RestoreKeyFix((account, region) -> kms);
    private final TableState state = new TableState(TestEvents.table("orders"), "ACTIVE", Map.of())
            .withAugment(dev.ddbwarden.rules.tablekey.KeyState.class, TableKeyRuleTest.key("PendingDeletion"));

    private void keyIs(KeyState keyState) {
        when(kms.describeKey(any(DescribeKeyRequest.class))).thenReturn(DescribeKeyResponse.builder()
                .keyMetadata(m -> m.keyId(KEY).keyState(keyState)).build());
    }

    @Test
    void keyPendingDeletion_shouldBeCancelledThenEnabled() {
        keyIs(KeyState.PENDING_DELETION);

        Outcome outcome = fix.apply(new TableKeyRemedy.RestoreKey(KEY), state);

        InOrder order = inOrder(kms);
        order.verify(kms).cancelKeyDeletion(CancelKeyDeletionRequest.builder().keyId(KEY_ID).build());
        order.verify(kms).enableKey(EnableKeyRequest.builder().keyId(KEY_ID).build());
        assertThat(outcome.action()).isEqualTo(Outcome.Action.FIXED);
        assertThat(outcome.after().orElseThrow().augment(dev.ddbwarden.rules.tablekey.KeyState.class).orElseThrow().keyState())
                .isEqualTo("Enabled");
    }

    @Test
    void disabledKey_shouldOnlyBeEnabled_andAnEnabledOneLeftAlone() {
        keyIs(KeyState.DISABLED);
        fix.apply(new TableKeyRemedy.RestoreKey(KEY), state);
        verify(kms, never()).cancelKeyDeletion(any(CancelKeyDeletionRequest.class));
        verify(kms).enableKey(any(EnableKeyRequest.class));

        keyIs(KeyState.ENABLED);
        assertThat(fix.apply(new TableKeyRemedy.RestoreKey(KEY), state).action()).isEqualTo(Outcome.Action.ALREADY_COMPLIANT);
    }

    @Test
    void keyPolicyRefusingDdbWarden_shouldBeSaidInTheOutcome_notThrownForARetry() {
        keyIs(KeyState.DISABLED);
        when(kms.enableKey(any(EnableKeyRequest.class))).thenThrow(KmsException.builder()
                .message("User: arn:aws:sts::123456789012:assumed-role/ddb-warden-TableKeyRole/x is not authorized to perform:"
                        + " kms:EnableKey because no resource-based policy allows the kms:EnableKey action")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).statusCode(400).build());

        Outcome outcome = fix.apply(new TableKeyRemedy.RestoreKey(KEY), state);

        assertThat(outcome.action()).isEqualTo(Outcome.Action.GAVE_UP);
        assertThat(outcome.description()).contains("KMS refused ddb-warden (AccessDeniedException)")
                .contains("docs/table-key.md").contains(KEY);
    }
}
