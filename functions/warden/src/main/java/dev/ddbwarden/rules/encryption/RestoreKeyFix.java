package dev.ddbwarden.rules.encryption;

import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.rules.encryption.EncryptionRule.EncryptionRemedy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * UpdateTable(SSESpecification: Enabled, KMS, the previous key), only once KMS says the key is still customer managed
 * and enabled: a disabled or deleted key would make the table inaccessible, far worse than the key it has now.
 * Idempotent: a table already under the key is left alone.
 */
final class RestoreKeyFix implements Fix<EncryptionRemedy.RestoreKey> {
    /**
     * What a principal that puts a table under a customer managed key needs on the key, as the DynamoDB
     * developer guide lists it (kms:ReEncrypt* and kms:GenerateDataKey* spelled out: no wildcards in ddb-warden's
     * roles), all but DescribeKey allowed only through DynamoDB (kms:ViaService) in template.yaml.
     */
    static final Set<String> KEY_ACTIONS = Set.of("kms:DescribeKey", "kms:CreateGrant", "kms:Encrypt", "kms:Decrypt",
            "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext");

    private final RegionalDynamo dynamo;
    private final Keys keys;

    RestoreKeyFix(RegionalDynamo dynamo, Keys keys) {
        this.dynamo = dynamo;
        this.keys = keys;
    }

    @Override
    public Class<EncryptionRemedy.RestoreKey> remedy() {
        return EncryptionRemedy.RestoreKey.class;
    }

    @Override
    public Set<String> actions() {
        Set<String> actions = new HashSet<>(KEY_ACTIONS);
        actions.add("dynamodb:UpdateTable");
        return Set.copyOf(actions);
    }

    @Override
    public Outcome apply(EncryptionRemedy.RestoreKey remedy, TableState state) {
        Optional<Sse> live = state.augment(Sse.class);
        if (live.flatMap(Sse::keyArn).equals(Optional.of(remedy.keyArn()))) {
            return new Outcome(Outcome.Action.ALREADY_COMPLIANT, "The table was already under " + remedy.keyArn() + ".", state);
        }
        Sse key = SseAugment.described(keys, state.ref().accountId(), state.ref().region(), remedy.keyArn());
        if (key.kind() != Sse.Kind.CUSTOMER || !key.keyState().equals(Optional.of("Enabled"))) {
            return new Outcome(Outcome.Action.ALERTED, "Not restored: the previous key " + remedy.keyArn() + " is "
                    + key.keyState().orElse("not readable") + (key.kind() == Sse.Kind.CUSTOMER ? "" : " and not known to be"
                    + " customer managed") + "; putting the table under a key that is not enabled would make it"
                    + " inaccessible. Enable the key, or choose another, and run the command below.");
        }
        TableDescription updated;
        try {
            updated = dynamo.in(state.ref()).updateTable(r -> r.tableName(state.ref().arn())
                    .sseSpecification(s -> s.enabled(true).sseType(SSEType.KMS).kmsMasterKeyId(remedy.keyArn())))
                    .tableDescription();
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could restore its key.");
        }
        // Not the answer's description: DynamoDB switches keys in the background, so only a read tells what is live.
        return new Outcome(Outcome.Action.FIXED, remedy.done() + " DynamoDB re-encrypts the table in the background"
                + (updated == null || updated.sseDescription() == null ? "." : " (SSE status "
                + updated.sseDescription().statusAsString() + ")."));
    }
}
