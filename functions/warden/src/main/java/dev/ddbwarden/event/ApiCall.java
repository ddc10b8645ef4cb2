package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One API call as CloudTrail recorded it. It says where to look, never what is there now: checks
 * always decide on the live state.
 *
 * @param requestParameters  the call's request, an empty object when CloudTrail recorded none
 * @param responseElements   the call's response, an empty object when CloudTrail recorded none
 * @param resourceArns       ARNs from the record's {@code resources} list
 * @param errorCode          empty when the call succeeded
 */
public record ApiCall(
        String eventId,
        String eventName,
        String eventSource,
        Instant eventTime,
        String region,
        String accountId,
        Actor actor,
        String sourceIp,
        String userAgent,
        JsonNode requestParameters,
        JsonNode responseElements,
        List<String> resourceArns,
        String errorCode) {

    public ApiCall {
        resourceArns = List.copyOf(resourceArns);
    }

    public boolean failed() {
        return !errorCode.isEmpty();
    }

    /** Text at a path of the request, or empty. */
    public String request(String... path) {
        return Json.text(requestParameters, path);
    }
}
