package dev.ddbwarden.rules.tablekey;

import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.Augment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SSEDescription;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The key behind a table: DescribeTable's SSE description names it, DescribeKey tells its state, GetKeyPolicy its
 * policy. The tables it encrypts come from the lookup the same invocation made ({@link KeyTables.Recent}); the sweep,
 * which made none, names the one table it reads.
 */
final class KeyAugment implements Augment<KeyState> {
    private static final Logger LOG = LoggerFactory.getLogger(KeyAugment.class);
    /** Every customer managed key has exactly this one policy. */
    private static final String DEFAULT_POLICY = "default";

    private final RegionalKms kms;
    private final KeyTables.Recent recent;

    KeyAugment(RegionalKms kms, KeyTables.Recent recent) {
        this.kms = kms;
        this.recent = recent;
    }

    @Override
    public Class<KeyState> type() {
        return KeyState.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:DescribeTable", "kms:DescribeKey", "kms:GetKeyPolicy");
    }

    @Override
    public Optional<KeyState> read(DynamoDbClient dynamo, TableRef table) {
        SSEDescription sse;
        try {
            sse = dynamo.describeTable(r -> r.tableName(table.arn())).table().sseDescription();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        String keyArn = sse == null || sse.kmsMasterKeyArn() == null ? "" : sse.kmsMasterKeyArn();
        if (keyArn.isEmpty() || !RegionalKms.accountOf(keyArn).equals(table.accountId())) {
            return Optional.of(KeyState.notCustomerManaged());
        }
        Optional<KeyTables.Found> found = recent.of(keyArn);
        List<String> tables = found.map(KeyTables.Found::tables).filter(t -> t.contains(table.name()))
                .orElse(List.of(table.name()));
        Optional<Set<String>> granted = found.flatMap(KeyTables.Found::granted);
        Optional<KeyTables.CutShort> cutShort = found.flatMap(KeyTables.Found::cutShort);
        Optional<Instant> inaccessible = Optional.ofNullable(sse.inaccessibleEncryptionDateTime());
        KmsClient client = kms.of(keyArn);
        KeyMetadata key;
        try {
            key = recent.describedOnce(keyArn).orElseGet(() -> client.describeKey(r -> r.keyId(keyArn)).keyMetadata());
        } catch (NotFoundException e) {
            return Optional.of(new KeyState(keyArn, "Deleted", Optional.empty(), inaccessible, Optional.empty(),
                    Optional.empty(), tables, granted, cutShort));
        } catch (KmsException e) {
            if (!RegionalKms.refused(e)) {
                throw e;
            }
            LOG.warn("KMS refused DescribeKey on {}: {}", keyArn, e.getMessage());
            return Optional.of(new KeyState(keyArn, "", Optional.empty(), inaccessible, Optional.empty(),
                    Optional.of(e.getMessage()), tables, granted, cutShort));
        }
        if (key.keyManager() == KeyManagerType.AWS) {
            return Optional.of(KeyState.notCustomerManaged());
        }
        return Optional.of(new KeyState(keyArn, key.keyStateAsString(), Optional.ofNullable(key.deletionDate()), inaccessible,
                policyDenial(client, keyArn, table.accountId()), Optional.empty(), tables, granted, cutShort));
    }

    private static Optional<String> policyDenial(KmsClient client, String keyArn, String accountId) {
        try {
            return KeyPolicyDenial.in(client.getKeyPolicy(r -> r.keyId(keyArn).policyName(DEFAULT_POLICY)).policy(), accountId);
        } catch (KmsException e) {
            if (!RegionalKms.refused(e)) {
                throw e;
            }
            LOG.warn("KMS refused GetKeyPolicy on {}: {}", keyArn, e.getMessage());
            return Optional.empty();
        }
    }
}
