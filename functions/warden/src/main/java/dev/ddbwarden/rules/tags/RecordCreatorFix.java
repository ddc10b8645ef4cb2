package dev.ddbwarden.rules.tags;

import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TagResource of the creator tags, each only where the table carries no such key: the tags are read again just
 * before, so a value set since the check (by the creator, or anyone) is never overwritten. DynamoDB allows
 * TagResource five times per second per account, shared with every tool that tags: a throttled call is first
 * retried by the SDK (config.Clients: five attempts, with backoff and jitter), and if it still fails, it is
 * {@link ResourceBusy}, which the pipeline's fix loop retries with its own capped backoff for as long as the
 * budget allows, then leaves to Lambda's retry.
 */
final class RecordCreatorFix implements Fix<TagsRemedy.RecordCreator> {
    /** The first wait the fix loop takes after a throttled TagResource (its backoff doubles it from there). */
    static final Duration THROTTLED_WAIT = Duration.ofSeconds(1);

    private final RegionalDynamo dynamo;

    RecordCreatorFix(RegionalDynamo dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<TagsRemedy.RecordCreator> remedy() {
        return TagsRemedy.RecordCreator.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:ListTagsOfResource", "dynamodb:TagResource");
    }

    @Override
    public Outcome apply(TagsRemedy.RecordCreator remedy, TableState state) {
        DynamoDbClient client = dynamo.in(state.ref());
        String arn = state.ref().arn();
        TableState after = state;
        try {
            Map<String, String> live = tags(client, arn);
            Map<String, String> missing = new LinkedHashMap<>(remedy.tags());
            missing.keySet().removeAll(live.keySet());
            if (missing.isEmpty()) {
                return new Outcome(Outcome.Action.ALREADY_COMPLIANT, "The table already carried its creator tags;"
                        + " ddb-warden never overwrites them.", state);
            }
            List<Tag> tags = missing.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
            client.tagResource(r -> r.resourceArn(arn).tags(tags));
            for (Map.Entry<String, String> tag : missing.entrySet()) {
                after = after.withTag(tag.getKey(), tag.getValue());
            }
        } catch (ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could tag it.");
        } catch (ResourceInUseException e) {
            throw new ResourceBusy("table " + arn + " is being changed", THROTTLED_WAIT, null, e);
        } catch (LimitExceededException e) {
            throw new ResourceBusy("DynamoDB refused TagResource on " + arn + " for now (LimitExceeded)", THROTTLED_WAIT, null, e);
        } catch (SdkServiceException e) {
            if (!e.isThrottlingException()) {
                throw e;
            }
            throw new ResourceBusy("TagResource on " + arn + " throttled after the SDK's retries: DynamoDB allows five a"
                    + " second per account", THROTTLED_WAIT, null, e);
        }
        return new Outcome(Outcome.Action.TAGGED, remedy.done(), after);
    }

    private static Map<String, String> tags(DynamoDbClient client, String arn) {
        Map<String, String> tags = new HashMap<>();
        String next = null;
        do {
            String token = next;
            ListTagsOfResourceResponse page = client.listTagsOfResource(r -> r.resourceArn(arn).nextToken(token));
            page.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return tags;
    }
}
