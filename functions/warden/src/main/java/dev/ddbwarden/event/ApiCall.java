package dev.ddbwarden.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One API call as CloudTrail recorded it. It says where to look, never what is there now: checks
 * always decide on the live state.
 *
 * @param eventTime          when the call was made: the record's time, else the envelope's; empty when neither
 *                           could be read
 * @param requestParameters  the call's request, an empty object when CloudTrail recorded none
 * @param responseElements   the call's response, an empty object when CloudTrail recorded none
 * @param resourceArns       ARNs from the record's {@code resources} list
 * @param errorCode          empty when the call succeeded
 * @param vpcEndpointId      the VPC endpoint the call came through, as CloudTrail records it; empty when it came through
 *                           none (from the internet, another AWS service, or a record that does not say)
 */
public record ApiCall(
        String eventId,
        String eventName,
        String eventSource,
        Optional<Instant> eventTime,
        String region,
        String accountId,
        Actor actor,
        String sourceIp,
        String userAgent,
        JsonNode requestParameters,
        JsonNode responseElements,
        List<String> resourceArns,
        String errorCode,
        String vpcEndpointId) {

    /**
     * The event name of an AWS Backup restore job that completed and so created a table: AWS Backup's own
     * event, not a CloudTrail record (see {@link BackupRestoreParser}).
     */
    public static final String BACKUP_RESTORE = "BackupRestoreJobCompleted";

    /** The event name of a call the scheduled sweep makes up for a table no event announced. */
    public static final String SWEEP = "Sweep";
    /** The source of the sweep's calls: no CloudTrail record and no EventBridge event comes from it. */
    private static final String SWEEP_SOURCE = "ddb-warden";

    public ApiCall {
        resourceArns = List.copyOf(resourceArns);
    }

    /**
     * What the sweep hands the checks for one table: no CloudTrail record, so the live state is all there
     * is to decide on, and the sweep is named as the one who looked.
     */
    public static ApiCall sweep(String sweepId, String region, String accountId, String tableName, Instant now) {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("tableName", tableName);
        return new ApiCall("sweep-" + sweepId, SWEEP, SWEEP_SOURCE, Optional.of(now), region, accountId,
                new Actor("Sweep", "", accountId, "", "", "ddb-warden scheduled sweep (no event announced this)"),
                "", "", request, JsonNodeFactory.instance.objectNode(), List.of(), "", "");
    }

    /**
     * Whether this is the sweep's own call ({@link #sweep}): by its name and its source together, so a delivered
     * record that names itself Sweep (no AWS API is; a forged one) is never taken for the sweep, whose calls rules
     * judge on the live state alone and some rules pass over.
     */
    public boolean isSweep() {
        return SWEEP.equals(eventName) && SWEEP_SOURCE.equals(eventSource);
    }

    public boolean failed() {
        return !errorCode.isEmpty();
    }

    /** Text at a path of the request, or empty. */
    public String request(String... path) {
        return Json.text(requestParameters, path);
    }
}
