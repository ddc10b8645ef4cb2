package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.util.Optional;
import java.util.Set;

/**
 * CancelKeyDeletion, if the key is pending deletion (KMS leaves it Disabled), then EnableKey. Both are idempotent in
 * effect and reversible by the key's owner. KMS refusing them means the key policy does not let ddb-warden's role
 * act (IAM cannot grant a key's use alone): that is said in the alert with the statement to add, not retried.
 */
final class RestoreKeyFix implements Fix<TableKeyRemedy.RestoreKey> {
    private final RegionalKms kms;

    RestoreKeyFix(RegionalKms kms) {
        this.kms = kms;
    }

    @Override
    public Class<TableKeyRemedy.RestoreKey> remedy() {
        return TableKeyRemedy.RestoreKey.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("kms:DescribeKey", "kms:CancelKeyDeletion", "kms:EnableKey");
    }

    @Override
    public Outcome apply(TableKeyRemedy.RestoreKey remedy, TableState state) {
        String keyArn = remedy.keyArn();
        // By ID, with the client of the key's own region and account: KMS takes either, moto_server only the ID.
        String keyId = keyArn.substring(keyArn.lastIndexOf('/') + 1);
        KmsClient client = kms.of(keyArn);
        try {
            String before = client.describeKey(r -> r.keyId(keyArn)).keyMetadata().keyStateAsString();
            if (KeyState.ENABLED.equals(before)) {
                return new Outcome(Outcome.Action.ALREADY_COMPLIANT, "The key was enabled again before ddb-warden acted.");
            }
            if (KeyState.PENDING_DELETION.equals(before)) {
                client.cancelKeyDeletion(r -> r.keyId(keyId));
            }
            client.enableKey(r -> r.keyId(keyId));
        } catch (NotFoundException e) {
            return new Outcome(Outcome.Action.GAVE_UP, "KMS key " + keyArn + " no longer exists: the tables it encrypted"
                    + " cannot be read again; DynamoDB keeps an archive backup of an archived table.");
        } catch (KmsInvalidStateException e) {
            return new Outcome(Outcome.Action.GAVE_UP, "KMS would not restore key " + keyArn + " from its state: "
                    + e.getMessage());
        } catch (KmsException e) {
            if (!RegionalKms.refused(e)) {
                throw e;
            }
            return new Outcome(Outcome.Action.GAVE_UP, "KMS refused ddb-warden (" + e.awsErrorDetails().errorCode() + "): the"
                    + " policy of key " + keyArn + " does not allow ddb-warden's role to call CancelKeyDeletion and EnableKey,"
                    + " and IAM alone cannot. Add the key-policy statement in docs/table-key.md; until then restore the key by"
                    + " hand.");
        }
        Optional<KeyState> read = state.augment(KeyState.class);
        return read.map(k -> new Outcome(Outcome.Action.FIXED, remedy.done(), state.withAugment(KeyState.class,
                        new KeyState(k.keyArn(), KeyState.ENABLED, Optional.empty(), k.inaccessibleSince(), k.policyDenial(),
                                k.refused(), k.tables(), k.granted(), k.cutShort()))))
                .orElse(new Outcome(Outcome.Action.FIXED, remedy.done()));
    }
}
