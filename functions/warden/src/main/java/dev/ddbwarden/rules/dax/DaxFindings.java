package dev.ddbwarden.rules.dax;

import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.policy.IdentityActions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dax rule's decisions, pure: a cluster that keeps data or traffic in plain text, or lives outside the allowed
 * regions (HIGH), and a service role that may write to DynamoDB (MEDIUM) unless DaxWriteRoles names it. Neither can
 * be changed in place (UpdateCluster takes neither the encryption nor the role), so every finding says how to
 * replace the cluster.
 */
final class DaxFindings {
    static final String RULE = DaxRule.RULE;
    private static final String REPLACE = "DAX cannot change a cluster's encryption or its role in place (UpdateCluster takes"
            + " neither): replace it. 1. Create a new cluster with encryption at rest and TLS, and a role that may only read:"
            + " aws dax create-cluster --region %s --cluster-name NEW_NAME --node-type NODE_TYPE --replication-factor 3"
            + " --iam-role-arn READ_ONLY_ROLE_ARN --sse-specification Enabled=true --cluster-endpoint-encryption-type TLS"
            + " --subnet-group-name SUBNET_GROUP (a read-only role allows dynamodb:DescribeTable, GetItem, BatchGetItem, Query,"
            + " Scan and ConditionCheckItem). 2. Point the clients at the new cluster's endpoint (a TLS endpoint is daxs://)."
            + " 3. Delete the old one once nothing uses it: aws dax delete-cluster --region %s --cluster-name %s. A cache"
            + " holds no data of its own, so nothing is lost.";
    private static final String ONLY_ROLE = " Or, if the cluster is a write-through cache by design, name its role in"
            + " DaxWriteRoles.";

    private DaxFindings() {
    }

    /**
     * A cluster, found after its creation or by the sweep.
     *
     * @param role what its role may write, empty when its role does not exist or DaxWriteRoles names it
     */
    static Optional<ResourceFinding> cluster(DaxCluster cluster, Optional<IdentityActions.Allowed> role,
                                             List<String> allowedRegions, String who) {
        List<String> high = new ArrayList<>();
        if (!cluster.encryptedAtRest()) {
            high.add("encryption at rest is off (SSEDescription " + (cluster.sse().isEmpty() ? "absent" : cluster.sse())
                    + "): the cache's nodes keep table data unencrypted on disk");
        }
        if (cluster.plaintextEndpoint()) {
            high.add("its endpoint is not encrypted (ClusterEndpointEncryptionType " + Excerpt.line(
                    cluster.endpointEncryption().isEmpty() ? DaxCluster.NONE : cluster.endpointEncryption())
                    + "): clients read and write table data over the network in plain text");
        }
        if (!allowedRegions.contains(cluster.region())) {
            high.add("it is in " + cluster.region() + ", outside AllowedRegions (" + String.join(", ", allowedRegions)
                    + "): the tables it caches are copied into that region");
        }
        Optional<String> writes = role.flatMap(DaxFindings::writes).map(what -> "its service role " + cluster.roleArn() + " " + what);
        if (high.isEmpty() && writes.isEmpty()) {
            return Optional.empty();
        }
        List<String> found = new ArrayList<>(high);
        writes.ifPresent(found::add);
        String title = !high.isEmpty() ? (allowedRegions.contains(cluster.region()) ? "DAX cluster in plain text"
                : "DAX cluster outside the allowed regions") : "DAX role may write";
        String detail = "DAX cluster " + cluster.describe() + ", " + who + ": " + String.join("; ", found) + ".";
        return Optional.of(new ResourceFinding(RULE, high.isEmpty() ? Severity.MEDIUM : Severity.HIGH, ref(cluster), title,
                detail, String.format(REPLACE, cluster.region(), cluster.region(), cluster.name())
                        + (high.isEmpty() ? ONLY_ROLE : "")));
    }

    /** A role that DAX clusters use, and what its policies now allow of DynamoDB's writes ({@link dev.ddbwarden.policy.ServiceActions#dynamoDbWrites}). */
    record RoleWrites(String roleArn, List<DaxCluster> clusters, IdentityActions.Allowed allowed) {
        RoleWrites {
            clusters = List.copyOf(clusters);
        }
    }

    /**
     * A change to the policies of roles DAX clusters use: one finding on what was changed, naming every role that may
     * now write and its clusters (a managed policy's new version reaches every role it is attached to at once).
     *
     * @param subject the role (or, for a policy version, the policy) the change was made to
     */
    static Optional<ResourceFinding> role(ResourceRef subject, List<RoleWrites> roles, String who) {
        List<RoleWrites> writing = roles.stream()
                .filter(role -> !role.clusters().isEmpty() && writes(role.allowed()).isPresent()).toList();
        if (writing.isEmpty()) {
            return Optional.empty();
        }
        List<String> found = writing.stream().map(role -> role.roleArn() + ", the service role of DAX cluster(s) "
                + String.join(", ", role.clusters().stream().map(DaxCluster::describe).toList()) + ", now "
                + writes(role.allowed()).orElseThrow()).toList();
        DaxCluster first = writing.get(0).clusters().get(0);
        return Optional.of(new ResourceFinding(RULE, Severity.MEDIUM, subject, "DAX role may write",
                who + " changed " + subject.kind() + " " + subject.name() + ": " + (found.size() > 1 ? found.size()
                        + " roles of DAX clusters may now write. " : "") + String.join("; ", found) + ".",
                "Take the write actions back out of the role's policies if the clusters only cache reads; else name the role in"
                        + " DaxWriteRoles (a write-through cache writes). A cluster cannot change its role in place: "
                        + String.format(REPLACE, first.region(), first.region(), first.name())));
    }

    /** What the role may write, in words, empty when it may write nothing (and no policy was unreadable). */
    private static Optional<String> writes(IdentityActions.Allowed allowed) {
        if (allowed.actions().isEmpty() && allowed.unreadable().isEmpty()) {
            return Optional.empty();
        }
        String what = allowed.actions().isEmpty() ? "" : "may write to DynamoDB through the cache (" + Excerpt.line(
                String.join(", ", allowed.actions())) + ", granted by " + Excerpt.line(String.join(", ", allowed.grantedBy())) + ")";
        String unread = allowed.unreadable().isEmpty() ? "" : (what.isEmpty() ? "" : ", and ")
                + "has policies ddb-warden could not judge, counted as granting writes: " + Excerpt.line(String.join("; ",
                allowed.unreadable()));
        return Optional.of(what + unread + ", and DAX lets every client of the cluster use the role's permissions,"
                + " whatever the client's own");
    }

    static ResourceRef ref(DaxCluster cluster) {
        return new ResourceRef("DAX cluster", cluster.name(), cluster.arn(), cluster.region(), cluster.accountId());
    }
}
