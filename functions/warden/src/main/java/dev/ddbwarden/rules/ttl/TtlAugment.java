package dev.ddbwarden.rules.ttl;

import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.Augment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

import java.util.Optional;
import java.util.Set;

/** DescribeTimeToLive: the one read this rule makes beyond the shared table state. */
final class TtlAugment implements Augment<TtlRule.Ttl> {

    @Override
    public Class<TtlRule.Ttl> type() {
        return TtlRule.Ttl.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:DescribeTimeToLive");
    }

    @Override
    public Optional<TtlRule.Ttl> read(DynamoDbClient dynamo, TableRef table) {
        try {
            return Optional.of(ttl(dynamo.describeTimeToLive(r -> r.tableName(table.arn())).timeToLiveDescription()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** A description as the check reads it; a table that never had TTL has no attribute. */
    static TtlRule.Ttl ttl(TimeToLiveDescription description) {
        if (description == null || description.timeToLiveStatus() == null) {
            return TtlRule.Ttl.OFF;
        }
        String attribute = description.attributeName() == null ? "" : description.attributeName();
        return new TtlRule.Ttl(description.timeToLiveStatusAsString(), attribute);
    }
}
