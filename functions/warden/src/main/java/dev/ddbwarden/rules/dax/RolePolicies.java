package dev.ddbwarden.rules.dax;

import dev.ddbwarden.policy.IdentityActions;

import java.util.List;
import java.util.Optional;

/** What a role's identity policies say: its inline policies and the default version of each managed policy attached. */
@FunctionalInterface
public interface RolePolicies {

    /** The role's policies, or empty when the role does not exist (any more). */
    Optional<Read> of(String roleName);

    /**
     * @param policies inline policies by name, managed ones (AWS managed included) by ARN, each with its document
     * @param attached the managed policies' ARNs
     */
    record Read(List<IdentityActions.Named> policies, List<String> attached) {
        public Read {
            policies = List.copyOf(policies);
            attached = List.copyOf(attached);
        }
    }
}
