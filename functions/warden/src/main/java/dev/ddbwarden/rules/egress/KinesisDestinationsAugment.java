package dev.ddbwarden.rules.egress;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.Augment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeKinesisStreamingDestinationResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.Optional;
import java.util.Set;

/**
 * DescribeKinesisStreamingDestination: where the table streams its changes, read only by the egress rule, and only
 * while TRUSTED_STREAMS is set.
 */
final class KinesisDestinationsAugment implements Augment<KinesisDestinations> {

    @Override
    public Class<KinesisDestinations> type() {
        return KinesisDestinations.class;
    }

    @Override
    public Set<String> actions() {
        // DynamoDB describes the stream for the caller: the Kinesis reads are the caller's too (EgressRule.otherActions)
        return Set.of("dynamodb:DescribeKinesisStreamingDestination", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary");
    }

    /** Without TRUSTED_STREAMS every stream DynamoDB accepts is trusted: nothing this read finds could be untrusted. */
    @Override
    public boolean neededUnder(Settings settings) {
        return EgressRule.TRUSTED_STREAMS.in(settings).isSet();
    }

    @Override
    public Optional<KinesisDestinations> read(DynamoDbClient dynamo, TableRef table) {
        DescribeKinesisStreamingDestinationResponse response;
        try {
            response = dynamo.describeKinesisStreamingDestination(r -> r.tableName(table.arn()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(new KinesisDestinations(response.kinesisDataStreamDestinations().stream()
                .map(d -> new KinesisDestinations.Destination(d.streamArn(), d.destinationStatusAsString()))
                .toList()));
    }
}
