package dev.ddbwarden.state;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;

import java.util.Optional;

/**
 * State one rule decides on that belongs to the call rather than to its table: where the bucket an export
 * writes to lives, which the request does not say. Read once per call and table, before the first decision,
 * and handed to the rule's check beside the table's state ({@link TableState#augment(Class)}), so the check
 * stays pure. Its IAM actions are among the rule's {@code otherActions()}.
 *
 * @param <T> what the read gives, a record the rule's pure check reads
 */
public interface CallAugment<T> {

    Class<T> type();

    /**
     * What the call's resources say now; empty when this call has nothing to look up. {@code settings} say where to
     * look (the regions a role's DAX clusters may be in) and what need not be read (a role DaxWriteRoles names).
     */
    Optional<T> read(ApiCall call, Settings settings);
}
