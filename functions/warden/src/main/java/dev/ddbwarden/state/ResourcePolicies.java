package dev.ddbwarden.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.event.TableRef;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetResourcePolicyResponse;
import software.amazon.awssdk.services.dynamodb.model.PolicyNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Optional;
import java.util.Set;

/**
 * The resources of a table that take a resource policy, the table and its latest stream, and their policies
 * now. Read by the rules that decide on policies (public access, the region guard's quarantine) through
 * {@link #AUGMENT}, and by the shared spine for a table that carries ddb-warden's quarantine tag (the tag counts
 * only beside the quarantine statement in the table's live policy): kept here, not in one rule's package.
 *
 * @param table     the table's policy, empty when it has none
 * @param streamArn the latest stream's ARN, empty when the table has none
 * @param stream    the stream's policy, empty when it has none or was not read
 */
public record ResourcePolicies(Optional<ResourcePolicy> table, String streamArn, Optional<ResourcePolicy> stream)
        implements TablePart {
    /** A table without a stream, and no policy: what a check sees when the policies were not read. */
    public static final ResourcePolicies NONE = new ResourcePolicies(Optional.empty(), "", Optional.empty());
    /** GetResourcePolicy on the table and on its stream, the stream's ARN from the description. */
    public static final Augment<ResourcePolicies> AUGMENT = new Augment<>() {
        @Override
        public Class<ResourcePolicies> type() {
            return ResourcePolicies.class;
        }

        @Override
        public Set<String> actions() {
            return Set.of("dynamodb:DescribeTable", "dynamodb:GetResourcePolicy");
        }

        @Override
        public Optional<ResourcePolicies> read(DynamoDbClient dynamo, TableRef table) {
            try {
                return read(dynamo, table, dynamo.describeTable(r -> r.tableName(table.arn())).table());
            } catch (ResourceNotFoundException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<ResourcePolicies> read(DynamoDbClient dynamo, TableRef table, TableDescription described) {
            String streamArn = streamArn(described);
            return Optional.of(new ResourcePolicies(policy(dynamo, described.tableArn()), streamArn,
                    streamArn.isEmpty() ? Optional.empty() : policy(dynamo, streamArn)));
        }
    };

    /** The table's policy alone, as the spine reads it to judge a quarantine tag for a rule that reads no policy. */
    static ResourcePolicies tableOnly(DynamoDbClient dynamo, TableDescription described) {
        return new ResourcePolicies(policy(dynamo, described.tableArn()), streamArn(described), Optional.empty());
    }

    /** The policy of the table or of its stream, whichever {@code resourceArn} names. */
    public Optional<ResourcePolicy> of(String resourceArn) {
        return isStream(resourceArn) ? stream : table;
    }

    /**
     * These policies with that of {@code resourceArn} (the table's, or its stream's) as a write left it:
     * {@code policy}, or none after a delete.
     */
    public ResourcePolicies with(String resourceArn, Optional<ResourcePolicy> policy) {
        boolean onStream = isStream(resourceArn);
        return new ResourcePolicies(onStream ? table : policy, streamArn, onStream ? policy : stream);
    }

    private boolean isStream(String resourceArn) {
        return !streamArn.isEmpty() && streamArn.equals(resourceArn);
    }

    @Override
    public void summarise(ObjectNode summary) {
        table.ifPresent(p -> policySummary(summary.putObject("resourcePolicy"), p));
        stream.ifPresent(p -> policySummary(summary.putObject("streamPolicy"), p));
    }

    /** A description says nothing of policies: they stay, but a stream's only while the stream is the same one. */
    @Override
    public Optional<TablePart> describedBy(TableDescription described) {
        String now = streamArn(described);
        return Optional.of(new ResourcePolicies(table, now, now.equals(streamArn) ? stream : Optional.empty()));
    }

    private static void policySummary(ObjectNode summary, ResourcePolicy policy) {
        summary.put("resourceArn", policy.resourceArn());
        summary.put("revisionId", policy.revisionId());
        summary.put("policy", policy.document());
    }

    /** A resource's policy, or empty when it has none (or, for a stream, no longer exists). */
    private static Optional<ResourcePolicy> policy(DynamoDbClient client, String resourceArn) {
        try {
            GetResourcePolicyResponse response = client.getResourcePolicy(r -> r.resourceArn(resourceArn));
            return Optional.of(new ResourcePolicy(resourceArn, response.policy(), response.revisionId()));
        } catch (PolicyNotFoundException | ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private static String streamArn(TableDescription table) {
        return table.latestStreamArn() == null ? "" : table.latestStreamArn();
    }
}
