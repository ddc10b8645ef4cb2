package dev.ddbwarden.rules.dax;

import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.SweptResources;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.policy.IdentityActions;
import dev.ddbwarden.policy.ServiceActions;
import dev.ddbwarden.rules.ResourceRule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.CallReads;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Function;

/**
 * DynamoDB Accelerator clusters as the security baseline wants them: encrypted at rest and in transit, in an allowed
 * region, with a service role that may only read (DAX lets every client of a cluster use its role's permissions). A
 * CreateCluster is checked against the cluster DAX describes; a change to the policies of a role a cluster uses
 * (PutRolePolicy, AttachRolePolicy, a managed policy's new default version) against what the role's policies now
 * allow. Only alerts: nothing can change in place, the alert gives the replacement steps.
 *
 * <p>The calls name no table, so the rule decides per event with {@link #evaluateResource}, on what its call augment
 * read of the clusters and their roles before ({@link DaxLookup}: {@link DaxApi}, {@link IamRolePolicies});
 * {@link DaxFindings} decides. A rule that is off reads nothing.
 */
public final class DaxRule implements ResourceRule {
    public static final String RULE = "dax";
    static final String DAX = "aws.dax";
    static final String IAM = "aws.iam";
    static final String CREATE_CLUSTER = "CreateCluster";
    static final String PUT_ROLE_POLICY = "PutRolePolicy";
    static final String ATTACH_ROLE_POLICY = "AttachRolePolicy";
    static final String CREATE_POLICY_VERSION = "CreatePolicyVersion";
    static final String SET_DEFAULT_POLICY_VERSION = "SetDefaultPolicyVersion";
    private static final List<Trigger> TRIGGERS = List.of(Trigger.from(DAX, CREATE_CLUSTER), Trigger.from(IAM, PUT_ROLE_POLICY),
            Trigger.from(IAM, ATTACH_ROLE_POLICY), Trigger.from(IAM, CREATE_POLICY_VERSION), Trigger.from(IAM, SET_DEFAULT_POLICY_VERSION));
    /** Roles a write-through cache uses on purpose: their writes are fine. */
    static final RuleSetting<DaxWriteRoles> WRITE_ROLES = new RuleSetting<>(DaxWriteRoles.SETTING, DaxWriteRoles::parse,
            DaxWriteRoles.none());

    private final DaxLookup lookup;

    /** The DAX and IAM clients are built on this rule's first event: no other function makes one. */
    public DaxRule() {
        this(DaxApi.perAccount(), IamRolePolicies.perAccount()::apply);
    }

    /** Tests hand in their own reads. */
    DaxRule(Function<String, DaxClusters> dax, Function<String, RolePolicies> iam) {
        this.lookup = new DaxLookup(dax, iam);
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "DaxFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    /** DescribeClusters is on the account's clusters; the IAM reads on its roles and policies. */
    @Override
    public Set<String> otherActions() {
        return Set.of("dax:DescribeClusters", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
                "iam:GetPolicy", "iam:GetPolicyVersion");
    }

    /** The sweep reads what the events do: the clusters, and their roles' policies. */
    @Override
    public Set<String> sweepActions() {
        return otherActions();
    }

    @Override
    public List<RuleSetting<?>> settings() {
        return List.of(WRITE_ROLES);
    }

    /** The clusters and role policies a call concerns, read before the decision ({@link DaxLookup}). */
    @Override
    public List<CallAugment<?>> callAugments() {
        return List.of(lookup);
    }

    /** Pure: decided on what {@link #callAugments()} read; nothing read (the cluster is gone, or no role uses it), nothing found. */
    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, CallReads reads, Settings settings) {
        Optional<DaxReads> read = reads.get(DaxReads.class);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        DaxWriteRoles writers = WRITE_ROLES.in(settings);
        return switch (call.eventName()) {
            case CREATE_CLUSTER -> DaxCalls.clusterName(call).flatMap(name -> read.get().clusters().stream()
                    .filter(cluster -> cluster.name().equals(name)).findFirst()).flatMap(cluster -> DaxFindings.cluster(cluster,
                    roleWrites(read.get(), cluster.roleArn(), writers), settings.allowedRegions(),
                    "created by " + call.actor().describe()));
            case PUT_ROLE_POLICY, ATTACH_ROLE_POLICY -> DaxCalls.roleName(call).flatMap(role -> roleChange(call, read.get(),
                    writers, cluster -> DaxCalls.roleNameOf(cluster.roleArn()).equals(role), Optional.empty()));
            case CREATE_POLICY_VERSION, SET_DEFAULT_POLICY_VERSION -> DaxCalls.policyArn(call).flatMap(policy ->
                    roleChange(call, read.get(), writers, cluster -> true, Optional.of(policy)));
            default -> Optional.empty();
        };
    }

    /** The sweep's report of one account's clusters in a region: each one this rule would alert on, as its creation would be. */
    @Override
    public SweptResources sweepResources(String account, String region, Settings settings) {
        DaxWriteRoles writers = WRITE_ROLES.in(settings);
        DaxReads read = lookup.region(account, region, settings);
        List<ResourceFinding> findings = new ArrayList<>();
        List<ResourceRef> compliant = new ArrayList<>();
        for (DaxCluster cluster : read.clusters()) {
            DaxFindings.cluster(cluster, roleWrites(read, cluster.roleArn(), writers), settings.allowedRegions(),
                    "found by the scheduled sweep").ifPresentOrElse(findings::add, () -> compliant.add(DaxFindings.ref(cluster)));
        }
        return new SweptResources(findings, compliant);
    }

    /**
     * The clusters read whose role {@code uses} selects, or, for a managed policy's new version, whose role has
     * {@code policy} attached: one finding naming every such role that may now write, with its clusters (one change,
     * so one alert, on the role or the policy that was changed).
     */
    private static Optional<ResourceFinding> roleChange(ApiCall call, DaxReads read, DaxWriteRoles writers,
                                                        Predicate<DaxCluster> uses, Optional<String> policy) {
        List<DaxCluster> clusters = read.clusters().stream().filter(uses).toList();
        List<DaxFindings.RoleWrites> writing = new ArrayList<>();
        for (String roleArn : clusters.stream().map(DaxCluster::roleArn).distinct().toList()) {
            Optional<RolePolicies.Read> role = read.role(roleArn);
            if (writers.allows(roleArn) || role.isEmpty() || policy.filter(p -> !role.get().attached().contains(p)).isPresent()) {
                continue;
            }
            writing.add(new DaxFindings.RoleWrites(roleArn, clusters.stream().filter(c -> c.roleArn().equals(roleArn)).toList(),
                    IdentityActions.allowed(role.get().policies(), ServiceActions.dynamoDbWrites())));
        }
        if (writing.isEmpty()) {
            return Optional.empty();
        }
        String first = writing.get(0).roleArn();
        ResourceRef subject = policy.map(p -> new ResourceRef("IAM managed policy", p, p, call.region(), call.accountId()))
                .orElseGet(() -> new ResourceRef("IAM role", DaxCalls.roleNameOf(first), first, call.region(), call.accountId()));
        return DaxFindings.role(subject, writing, call.actor().describe());
    }

    /** What the role may write, empty when DaxWriteRoles names it or it was not read (it does not exist). */
    private static Optional<IdentityActions.Allowed> roleWrites(DaxReads read, String roleArn, DaxWriteRoles writers) {
        if (roleArn.isEmpty() || writers.allows(roleArn)) {
            return Optional.empty();
        }
        return read.role(roleArn).map(role -> IdentityActions.allowed(role.policies(), ServiceActions.dynamoDbWrites()));
    }
}
