package dev.ddbwarden.rules.dax;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.state.CallAugment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static dev.ddbwarden.rules.dax.DaxRule.ATTACH_ROLE_POLICY;
import static dev.ddbwarden.rules.dax.DaxRule.CREATE_CLUSTER;
import static dev.ddbwarden.rules.dax.DaxRule.CREATE_POLICY_VERSION;
import static dev.ddbwarden.rules.dax.DaxRule.PUT_ROLE_POLICY;
import static dev.ddbwarden.rules.dax.DaxRule.SET_DEFAULT_POLICY_VERSION;

/**
 * The dax rule's reads about a call, made at the edge so that its decision ({@link DaxRule#evaluateResource}) stays
 * pure: DescribeClusters of the cluster a CreateCluster made, or of every cluster in the regions ddb-warden covers
 * (AllowedRegions and the call's own) for a change to a role's policies, and the policies of each cluster's role that
 * DaxWriteRoles does not name. A record whose names do not match the services' patterns reads nothing.
 */
final class DaxLookup implements CallAugment<DaxReads> {
    private final Function<String, DaxClusters> dax;
    private final Function<String, RolePolicies> iam;

    /** @param dax the DAX reader of an account, @param iam its IAM reader */
    DaxLookup(Function<String, DaxClusters> dax, Function<String, RolePolicies> iam) {
        this.dax = dax;
        this.iam = iam;
    }

    @Override
    public Class<DaxReads> type() {
        return DaxReads.class;
    }

    @Override
    public Optional<DaxReads> read(ApiCall call, Settings settings) {
        List<DaxCluster> clusters = switch (call.eventName()) {
            case CREATE_CLUSTER -> DaxCalls.clusterName(call).map(name -> dax.apply(call.accountId()).describe(call.region(), Optional.of(name))
                    .stream().limit(1).toList()).orElse(List.of());
            case PUT_ROLE_POLICY, ATTACH_ROLE_POLICY -> DaxCalls.roleName(call).map(role -> covered(call, settings).stream()
                    .filter(cluster -> DaxCalls.roleNameOf(cluster.roleArn()).equals(role)).toList()).orElse(List.of());
            case CREATE_POLICY_VERSION, SET_DEFAULT_POLICY_VERSION -> DaxCalls.policyArn(call).isPresent()
                    ? covered(call, settings) : List.of();
            default -> List.of();
        };
        if (clusters.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DaxReads(clusters, roles(call.accountId(), clusters, DaxRule.WRITE_ROLES.in(settings))));
    }

    /** The clusters of {@code account}'s {@code region} and their roles' policies, read in that account: the sweep's read. */
    DaxReads region(String account, String region, Settings settings) {
        List<DaxCluster> clusters = dax.apply(account).describe(region, Optional.empty());
        return new DaxReads(clusters, roles(account, clusters, DaxRule.WRITE_ROLES.in(settings)));
    }

    private List<DaxCluster> covered(ApiCall call, Settings settings) {
        Set<String> regions = new LinkedHashSet<>(settings.allowedRegions());
        regions.add(call.region());
        List<DaxCluster> clusters = new ArrayList<>();
        regions.forEach(region -> clusters.addAll(dax.apply(call.accountId()).describe(region, Optional.empty())));
        return clusters;
    }

    private Map<String, RolePolicies.Read> roles(String account, List<DaxCluster> clusters, DaxWriteRoles writers) {
        Map<String, RolePolicies.Read> roles = new HashMap<>();
        clusters.stream().map(DaxCluster::roleArn).filter(arn -> !arn.isEmpty() && !writers.allows(arn)).distinct()
                .forEach(arn -> iam.apply(account).of(DaxCalls.roleNameOf(arn)).ifPresent(read -> roles.put(arn, read)));
        return roles;
    }
}
