package dev.ddbwarden.state;

import dev.ddbwarden.event.TableRef;

import java.util.LinkedHashMap;
import java.util.Map;

/** A table as DynamoDB describes it now; checks decide on this, never on what an event claimed. */
public record TableState(
        TableRef ref,
        String status,
        boolean deletionProtection,
        Map<String, String> tags,
        String streamArn) {

    public TableState {
        tags = Map.copyOf(tags);
    }

    /** CREATING and UPDATING tables refuse changes; anything else can be acted on or left. */
    public boolean settled() {
        return !"CREATING".equals(status) && !"UPDATING".equals(status);
    }

    /** What the ledger and alerts quote as "before" and "after". */
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tableArn", ref.arn());
        summary.put("status", status);
        summary.put("deletionProtectionEnabled", deletionProtection);
        summary.put("tags", tags);
        return summary;
    }
}
