package dev.ddbwarden.rules.iamusers;

import dev.ddbwarden.policy.IdentityActions;

import java.util.List;

/**
 * The policies an IAM call put within a user's or group's reach, as IAM holds them now ({@link GrantReads}): the
 * managed policy attached, or every policy of the group a user joined or of the user given an access key.
 */
record Granted(List<IdentityActions.Named> policies) {
    Granted {
        policies = List.copyOf(policies);
    }
}
