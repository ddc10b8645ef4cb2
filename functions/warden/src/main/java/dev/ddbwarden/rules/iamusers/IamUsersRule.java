package dev.ddbwarden.rules.iamusers;

import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.SweptResources;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.policy.IdentityActions;
import dev.ddbwarden.policy.ServiceActions;
import dev.ddbwarden.rules.ResourceRule;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.rules.dax.IamRolePolicies;
import dev.ddbwarden.rules.dax.RolePolicies;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.CallReads;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * DynamoDB reached through IAM users, which the security baseline replaces with roles: a DynamoDB or DAX call made by
 * an IAM user (CloudTrail's userIdentity type IAMUser; role sessions, identity pools' roles and AWS services are fine)
 * alerts once per user and day, and an IAM call that gives a user or group DynamoDB or DAX permissions (a policy put or
 * attached, a user added to a group that has them, an access key made for a user that has them) alerts naming the
 * actions. Only alerts: detaching breaks applications; the alert says how to move the workload to a role.
 *
 * <p>No call names a table the rule reads, so it decides per event with {@link #evaluateResource}, on the record and on
 * the policies its call augment read before ({@link GrantReads}, through {@link UserPolicies}); {@link IamUsersFindings}
 * decides. A rule that is off reads nothing.
 */
public final class IamUsersRule implements ResourceRule {
    public static final String RULE = "iam-users";
    static final String IAM_USER = "IAMUser";
    static final String IAM = "aws.iam";
    /** IAM's calls as CloudTrail's eventSource names them: every other call of this rule is DynamoDB's or DAX's. */
    static final String IAM_SOURCE = "iam.amazonaws.com";
    static final String ATTACH_USER_POLICY = "AttachUserPolicy";
    static final String PUT_USER_POLICY = "PutUserPolicy";
    static final String ATTACH_GROUP_POLICY = "AttachGroupPolicy";
    static final String PUT_GROUP_POLICY = "PutGroupPolicy";
    static final String ADD_USER_TO_GROUP = "AddUserToGroup";
    static final String CREATE_ACCESS_KEY = "CreateAccessKey";
    private static final List<Trigger> TRIGGERS = List.of(Trigger.anyFrom(Trigger.DYNAMODB), Trigger.anyFrom("aws.dax"),
            Trigger.from(IAM, ATTACH_USER_POLICY), Trigger.from(IAM, PUT_USER_POLICY), Trigger.from(IAM, ATTACH_GROUP_POLICY),
            Trigger.from(IAM, PUT_GROUP_POLICY), Trigger.from(IAM, ADD_USER_TO_GROUP), Trigger.from(IAM, CREATE_ACCESS_KEY));
    /** IAM user and group names. */
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/[\\w+=,.@/-]{1,1100}");

    private final Function<String, UserPolicies> iam;
    private final GrantReads grants;

    /** The IAM client is built on this rule's first event that needs it: no other function makes one for users. */
    public IamUsersRule() {
        this(UserPolicies.perAccount());
    }

    /** Tests hand in their own reads. */
    IamUsersRule(Function<String, UserPolicies> iam) {
        this.iam = iam;
        this.grants = new GrantReads(iam);
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "IamUsersFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    /** The IAM reads of users', groups' and managed policies, and the sweep's lists of users and groups. */
    @Override
    public Set<String> otherActions() {
        return Set.of("iam:ListUserPolicies", "iam:GetUserPolicy", "iam:ListAttachedUserPolicies", "iam:ListGroupsForUser",
                "iam:ListGroupPolicies", "iam:GetGroupPolicy", "iam:ListAttachedGroupPolicies", "iam:GetPolicy",
                "iam:GetPolicyVersion", "iam:ListUsers", "iam:ListGroups");
    }

    /** The sweep's report reads the same: every user's and group's policies. */
    @Override
    public Set<String> sweepActions() {
        return otherActions();
    }

    /** A call's table is not what this rule is about: who made the call is. */
    @Override
    public List<TableRef> subjects(ApiCall call) {
        return List.of();
    }

    /** The policies a grant put within reach, read before the decision ({@link GrantReads}). */
    @Override
    public List<CallAugment<?>> callAugments() {
        return List.of(grants);
    }

    /**
     * Pure: a DynamoDB or DAX call is decided on its record, an inline policy on the document the record carries, and
     * the other grants on what {@link #callAugments()} read; nothing read (the policy, user or group is gone), nothing
     * found.
     */
    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, CallReads reads, Settings settings) {
        if (!IAM_SOURCE.equals(call.eventSource())) {
            return IamUsersFindings.call(call);
        }
        String who = call.actor().describe();
        Optional<String> user = name(call.request("userName"));
        Optional<String> group = name(call.request("groupName"));
        Optional<Granted> granted = reads.get(Granted.class);
        return switch (call.eventName()) {
            case ATTACH_USER_POLICY -> user.flatMap(u -> attached(granted).flatMap(p ->
                    IamUsersFindings.grant(userRef(call, u), "attached policy " + p.name() + " to IAM user " + u,
                            allowed(List.of(p)), who)));
            case ATTACH_GROUP_POLICY -> group.flatMap(g -> attached(granted).flatMap(p ->
                    IamUsersFindings.grant(groupRef(call, g), "attached policy " + p.name() + " to IAM group " + g,
                            allowed(List.of(p)), who)));
            case PUT_USER_POLICY -> user.flatMap(u -> IamUsersFindings.grant(userRef(call, u), "put inline policy "
                    + call.request("policyName") + " on IAM user " + u, allowed(List.of(inline(call))), who));
            case PUT_GROUP_POLICY -> group.flatMap(g -> IamUsersFindings.grant(groupRef(call, g), "put inline policy "
                    + call.request("policyName") + " on IAM group " + g, allowed(List.of(inline(call))), who));
            case ADD_USER_TO_GROUP -> user.flatMap(u -> group.flatMap(g -> granted.flatMap(read ->
                    IamUsersFindings.grant(userRef(call, u), "added IAM user " + u + " to group " + g + ", whose policies"
                            + " reach DynamoDB", allowed(read.policies()), who))));
            case CREATE_ACCESS_KEY -> keyOwner(call).flatMap(u -> granted.flatMap(read ->
                    IamUsersFindings.grant(userRef(call, u), "created an access key for IAM user " + u + ", whose policies"
                            + " reach DynamoDB", allowed(read.policies()), who)));
            default -> Optional.empty();
        };
    }

    /** The managed policy an Attach call attached, as read: the one policy of what was granted. */
    private static Optional<IdentityActions.Named> attached(Optional<Granted> granted) {
        return granted.flatMap(read -> read.policies().stream().findFirst());
    }

    /**
     * The sweep's report of {@code account}'s users and groups that may use DynamoDB or DAX, read with that account's
     * credentials. IAM is global, so an account is read once per sweep: in the home region (where the function runs),
     * not in each region the sweep covers there.
     */
    @Override
    public SweptResources sweepResources(String account, String region, Settings settings) {
        UserPolicies reads = iam.apply(account);
        if (!region.equals(reads.homeRegion())) {
            return SweptResources.none();
        }
        List<ResourceFinding> findings = new ArrayList<>();
        List<ResourceRef> compliant = new ArrayList<>();
        for (String arn : reads.userArns()) {
            judge(ref("IAM user", arn, region), reads.user(nameOf(arn)), findings, compliant);
        }
        for (String arn : reads.groupArns()) {
            judge(ref("IAM group", arn, region), reads.group(nameOf(arn)), findings, compliant);
        }
        return new SweptResources(findings, compliant);
    }

    /** A user or group read is a finding or compliant; one that was not read (gone since the list) is neither. */
    private static void judge(ResourceRef who, Optional<RolePolicies.Read> read, List<ResourceFinding> findings,
                              List<ResourceRef> compliant) {
        read.ifPresent(policies -> IamUsersFindings.holds(who, allowed(policies.policies()))
                .ifPresentOrElse(findings::add, () -> compliant.add(who)));
    }

    private static IdentityActions.Allowed allowed(List<IdentityActions.Named> policies) {
        return IdentityActions.allowed(policies, ServiceActions.all());
    }

    /** An inline policy as the record carries it (the document CloudTrail logs with PutUserPolicy and PutGroupPolicy). */
    private static IdentityActions.Named inline(ApiCall call) {
        return new IdentityActions.Named(call.request("policyName"), IamRolePolicies.decode(call.request("policyDocument")));
    }

    /** CreateAccessKey without a userName makes a key for the caller itself. */
    static Optional<String> keyOwner(ApiCall call) {
        Optional<String> user = name(call.request("userName"));
        if (user.isPresent() || !call.request("userName").isEmpty()) {
            return user;
        }
        return IAM_USER.equals(call.actor().type()) ? name(call.actor().userName()) : Optional.empty();
    }

    static Optional<String> policyArn(ApiCall call) {
        String arn = call.request("policyArn");
        return POLICY_ARN.matcher(arn).matches() ? Optional.of(arn) : Optional.empty();
    }

    static Optional<String> name(String value) {
        return NAME.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }

    private static ResourceRef userRef(ApiCall call, String name) {
        return new ResourceRef("IAM user", name, "arn:" + partition(call) + ":iam::" + call.accountId() + ":user/" + name,
                call.region(), call.accountId());
    }

    private static ResourceRef groupRef(ApiCall call, String name) {
        return new ResourceRef("IAM group", name, "arn:" + partition(call) + ":iam::" + call.accountId() + ":group/" + name,
                call.region(), call.accountId());
    }

    private static ResourceRef ref(String kind, String arn, String region) {
        String[] parts = arn.split(":", 6);
        return new ResourceRef(kind, nameOf(arn), arn, region, parts.length > 4 ? parts[4] : "");
    }

    /** The partition of the caller's ARN (aws, aws-cn, aws-us-gov), aws when the record has none. */
    private static String partition(ApiCall call) {
        String[] parts = call.actor().arn().split(":", 3);
        return parts.length > 2 && parts[1].startsWith("aws") ? parts[1] : "aws";
    }

    private static String nameOf(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
