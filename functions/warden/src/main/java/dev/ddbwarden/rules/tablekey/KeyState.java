package dev.ddbwarden.rules.tablekey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The KMS key behind a table, as KMS and DynamoDB tell it now: what the table-key rule reads beyond the shared
 * table state.
 *
 * @param keyArn            the table's key; empty when the table is encrypted by an AWS owned or AWS managed key,
 *                          or by a key in another account (out of ddb-warden's reach, and not this rule's)
 * @param keyState          KMS's key state: Enabled, Disabled, PendingDeletion, PendingImport, Unavailable, ...
 * @param deletionDate      when KMS deletes a key pending deletion
 * @param inaccessibleSince when DynamoDB noticed it cannot use the key (the table's SSE description)
 * @param policyDenial      the key policy statement that denies what DynamoDB needs of the key, if one does
 * @param refused           KMS's answer when the key policy does not let ddb-warden read the key
 * @param tables            the tables the key encrypts, this one included, by name in a stable order
 * @param granted           the tables DynamoDB's grants on the key still name; empty when not read
 * @param cutShort          how far the look for {@code tables} got when the time budget stopped it, if it did
 */
public record KeyState(String keyArn, String keyState, Optional<Instant> deletionDate, Optional<Instant> inaccessibleSince,
                       Optional<String> policyDenial, Optional<String> refused, List<String> tables,
                       Optional<Set<String>> granted, Optional<KeyTables.CutShort> cutShort) {
    static final String ENABLED = "Enabled";
    static final String DISABLED = "Disabled";
    static final String PENDING_DELETION = "PendingDeletion";
    static final String PENDING_IMPORT = "PendingImport";

    public KeyState {
        tables = List.copyOf(tables);
        granted = granted.map(Set::copyOf);
    }

    /** A key whose tables were all looked for (or named by the one table the sweep reads). */
    KeyState(String keyArn, String keyState, Optional<Instant> deletionDate, Optional<Instant> inaccessibleSince,
             Optional<String> policyDenial, Optional<String> refused, List<String> tables, Optional<Set<String>> granted) {
        this(keyArn, keyState, deletionDate, inaccessibleSince, policyDenial, refused, tables, granted, Optional.empty());
    }

    /** A table under a key that is not a customer managed key of its own account. */
    static KeyState notCustomerManaged() {
        return new KeyState("", "", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty());
    }

    boolean customerManaged() {
        return !keyArn.isEmpty();
    }

    /** Disabled or pending deletion: what CancelKeyDeletion and EnableKey undo. */
    boolean restorable() {
        return DISABLED.equals(keyState) || PENDING_DELETION.equals(keyState);
    }

    /** The tables the key encrypts whose DynamoDB grant is gone (known only when the grants were read). */
    List<String> ungranted() {
        return granted.map(names -> tables.stream().filter(t -> !names.contains(t)).toList()).orElse(List.of());
    }
}
