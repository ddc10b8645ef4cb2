package dev.ddbwarden.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.event.JsonText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * CloudTrail's own record of an event, read with LookupEvents by the record's event ID in the region it
 * was made in. LookupEvents allows 2 requests per second per account and region, shared with the console
 * and every other tool, so a throttled lookup is retried with backoff for as long as the budget allows.
 */
public final class TrailHistory {
    private static final Logger LOG = LoggerFactory.getLogger(TrailHistory.class);
    private static final Duration FIRST_WAIT = Duration.ofMillis(500);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(4);

    private final RegionalTrail trail;
    private final Sleeper sleeper;

    public TrailHistory(RegionalTrail trail, Sleeper sleeper) {
        this.trail = trail;
        this.sleeper = sleeper;
    }

    /** What a lookup found. */
    public sealed interface Lookup {
        /** The record CloudTrail holds under the ID, as JSON. */
        record Found(JsonNode record) implements Lookup {
        }

        /** CloudTrail holds no record under the ID (yet), or none that can be read. */
        record Missing() implements Lookup {
        }

        /** CloudTrail kept refusing (throttling) until the budget ran out: nothing can be told now. */
        record Unanswered(String why) implements Lookup {
        }
    }

    public Lookup find(String account, String region, String eventId, TimeBudget budget) {
        Backoff backoff = new Backoff(FIRST_WAIT, LONGEST_WAIT);
        while (true) {
            try {
                LookupEventsResponse response = trail.in(account, region).lookupEvents(r -> r.lookupAttributes(a -> a
                        .attributeKey(LookupAttributeKey.EVENT_ID).attributeValue(eventId)).maxResults(1));
                return response.events().stream().findFirst().flatMap(TrailHistory::record)
                        .<Lookup>map(Lookup.Found::new).orElseGet(Lookup.Missing::new);
            } catch (SdkServiceException e) {
                if (!e.isThrottlingException()) {
                    throw e;
                }
                Duration wait = backoff.next();
                if (!budget.allows(wait)) {
                    return new Lookup.Unanswered("CloudTrail's LookupEvents kept throttling in " + region);
                }
                LOG.info("LookupEvents throttled in {}; trying again in {} ms", region, wait.toMillis());
                sleeper.pause(wait, "to retry LookupEvents");
            }
        }
    }

    private static Optional<JsonNode> record(Event event) {
        if (event.cloudTrailEvent() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonText.read(event.cloudTrailEvent()));
        } catch (JsonProcessingException e) {
            LOG.warn("CloudTrail's record of {} is not JSON: {}", event.eventId(), e.getOriginalMessage());
            return Optional.empty();
        }
    }
}
