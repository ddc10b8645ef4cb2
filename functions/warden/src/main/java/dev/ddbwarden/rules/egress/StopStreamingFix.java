package dev.ddbwarden.rules.egress;

import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DisableKinesisStreamingDestination for each untrusted stream still flowing. A destination DynamoDB is still
 * enabling cannot be disabled yet (ResourceInUseException): the rest is retried shortly.
 */
final class StopStreamingFix implements Fix<EgressRemedy.StopStreaming> {
    /** Enabling a destination takes DynamoDB seconds to minutes. */
    private static final Duration IN_USE_WAIT = Duration.ofSeconds(10);

    private final RegionalDynamo dynamo;

    StopStreamingFix(RegionalDynamo dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<EgressRemedy.StopStreaming> remedy() {
        return EgressRemedy.StopStreaming.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:DisableKinesisStreamingDestination");
    }

    @Override
    public Outcome apply(EgressRemedy.StopStreaming remedy, TableState state) {
        KinesisDestinations before = state.augment(KinesisDestinations.class).orElse(new KinesisDestinations(List.of()));
        List<String> flowing = before.flowing().stream().map(KinesisDestinations.Destination::streamArn)
                .filter(remedy.streamArns()::contains).toList();
        if (flowing.isEmpty()) {
            return new Outcome(Outcome.Action.ALREADY_COMPLIANT, "The table no longer streamed to those streams.", state);
        }
        DynamoDbClient client = dynamo.in(state.ref());
        List<String> stopped = new ArrayList<>();
        for (String stream : flowing) {
            try {
                client.disableKinesisStreamingDestination(r -> r.tableName(state.ref().arn()).streamArn(stream));
            } catch (ResourceNotFoundException e) {
                return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could stop its streaming.");
            } catch (ResourceInUseException e) {
                List<String> rest = flowing.subList(flowing.indexOf(stream), flowing.size());
                throw new ResourceBusy("the streaming destination " + stream + " of " + state.ref().arn()
                        + " is still changing", IN_USE_WAIT, stopped.isEmpty() ? null : new EgressRemedy.StopStreaming(rest), e);
            }
            stopped.add(stream);
        }
        return new Outcome(Outcome.Action.FIXED, new EgressRemedy.StopStreaming(stopped).done(),
                state.withAugment(KinesisDestinations.class, before.disabling(stopped)));
    }
}
