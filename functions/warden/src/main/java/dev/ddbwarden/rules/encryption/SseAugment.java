package dev.ddbwarden.rules.encryption;

import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.Augment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SSEDescription;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.util.Optional;
import java.util.Set;

/**
 * The key that encrypts a table: DescribeTable's SSEDescription (TableState does not keep it: only this rule reads
 * it), then KMS DescribeKey for a key of the table's own account, the one way to tell a customer managed key from
 * the AWS managed aws/dynamodb key, whose ARNs look alike.
 */
final class SseAugment implements Augment<Sse> {
    private final Keys keys;

    SseAugment(Keys keys) {
        this.keys = keys;
    }

    @Override
    public Class<Sse> type() {
        return Sse.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:DescribeTable", "kms:DescribeKey");
    }

    @Override
    public Optional<Sse> read(DynamoDbClient dynamo, TableRef table) {
        SSEDescription sse;
        try {
            sse = dynamo.describeTable(r -> r.tableName(table.arn())).table().sseDescription();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        if (sse == null || sse.sseType() != SSEType.KMS || sse.kmsMasterKeyArn() == null) {
            return Optional.of(Sse.awsOwned());
        }
        String keyArn = sse.kmsMasterKeyArn();
        if (!Sse.accountOf(keyArn).map(table.accountId()::equals).orElse(false)) {
            return Optional.of(new Sse(Sse.Kind.OTHER_ACCOUNT, Optional.of(keyArn), Optional.empty()));
        }
        return Optional.of(described(keys, table.accountId(), table.region(), keyArn));
    }

    /** A key of this account as KMS describes it; one KMS will not describe is UNREADABLE, never assumed customer managed. */
    static Sse described(Keys keys, String account, String region, String keyArn) {
        try {
            KeyMetadata key = keys.in(account, region).describeKey(r -> r.keyId(keyArn)).keyMetadata();
            Sse.Kind kind = switch (key.keyManagerAsString()) {
                case "CUSTOMER" -> Sse.Kind.CUSTOMER;
                case "AWS" -> Sse.Kind.AWS_MANAGED;
                default -> Sse.Kind.UNREADABLE;
            };
            return new Sse(kind, Optional.of(keyArn), Optional.ofNullable(key.keyStateAsString()));
        } catch (NotFoundException e) {
            return new Sse(Sse.Kind.UNREADABLE, Optional.of(keyArn), Optional.of("NotFound"));
        } catch (KmsException e) {
            if (refused(e)) {
                return new Sse(Sse.Kind.UNREADABLE, Optional.of(keyArn), Optional.of("AccessDenied"));
            }
            throw e;
        }
    }

    /** KMS refusing ddb-warden (its key policy, another account's key): no SDK class of its own for it. */
    static boolean refused(KmsException e) {
        return e.awsErrorDetails() != null && "AccessDeniedException".equals(e.awsErrorDetails().errorCode());
    }
}
