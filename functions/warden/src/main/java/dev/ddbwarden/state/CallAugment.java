package dev.ddbwarden.state;

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

    /** What the call's resources say now; empty when this call has nothing to look up. */
    Optional<T> read(ApiCall call);
}
