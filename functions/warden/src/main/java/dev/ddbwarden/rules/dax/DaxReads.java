package dev.ddbwarden.rules.dax;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the dax rule read about one call, before deciding ({@link DaxLookup}): the clusters the call concerns (the one
 * it created, or those in the covered regions a role change may reach) and the policies of their roles.
 *
 * @param roles by role ARN; a role is absent when DaxWriteRoles names it (its writes are fine, so it is not read) or
 *              it no longer exists
 */
record DaxReads(List<DaxCluster> clusters, Map<String, RolePolicies.Read> roles) {
    DaxReads {
        clusters = List.copyOf(clusters);
        roles = Map.copyOf(roles);
    }

    Optional<RolePolicies.Read> role(String roleArn) {
        return Optional.ofNullable(roles.get(roleArn));
    }
}
