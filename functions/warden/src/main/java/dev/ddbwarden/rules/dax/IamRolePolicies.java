package dev.ddbwarden.rules.dax;

import dev.ddbwarden.config.Clients;
import dev.ddbwarden.config.PerAccount;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import dev.ddbwarden.policy.IdentityActions;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A role's policies read from IAM: ListRolePolicies and GetRolePolicy for the inline ones, ListAttachedRolePolicies,
 * GetPolicy (which version is the default) and GetPolicyVersion for the managed ones. IAM hands documents back
 * URL-encoded (RFC 3986), so each is decoded before it is judged. The iam-users rule reads users' and groups'
 * policies the same way ({@link #ofUser}, {@link #ofGroup}, {@link #managed}).
 */
public final class IamRolePolicies implements RolePolicies {
    private final IamClient iam;

    IamRolePolicies(IamClient iam) {
        this.iam = iam;
    }

    /**
     * IAM is global: one client per account ({@link PerAccount}), at IAM's global endpoint (or AWS_ENDPOINT_URL's), with
     * that account's credentials.
     */
    public static PerAccount<IamRolePolicies> perAccount() {
        return PerAccount.of(IamRolePolicies::with);
    }

    /** A reader of IAM with {@code credentials}, at IAM's global endpoint (or AWS_ENDPOINT_URL's). */
    public static IamRolePolicies with(AwsCredentialsProvider credentials) {
        return new IamRolePolicies(Clients.standard(IamClient.builder()).region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials).build());
    }

    @Override
    public Optional<Read> of(String roleName) {
        try {
            List<IdentityActions.Named> policies = new ArrayList<>();
            for (String name : iam.listRolePoliciesPaginator(r -> r.roleName(roleName)).policyNames()) {
                policies.add(new IdentityActions.Named(name,
                        decode(iam.getRolePolicy(r -> r.roleName(roleName).policyName(name)).policyDocument())));
            }
            return Optional.of(withManaged(policies,
                    iam.listAttachedRolePoliciesPaginator(r -> r.roleName(roleName)).attachedPolicies()));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /** A user's own inline and managed policies and those of every group it is in (ListGroupsForUser). */
    public Optional<Read> ofUser(String userName) {
        try {
            List<IdentityActions.Named> policies = new ArrayList<>();
            for (String name : iam.listUserPoliciesPaginator(r -> r.userName(userName)).policyNames()) {
                policies.add(new IdentityActions.Named(name,
                        decode(iam.getUserPolicy(r -> r.userName(userName).policyName(name)).policyDocument())));
            }
            Read own = withManaged(policies,
                    iam.listAttachedUserPoliciesPaginator(r -> r.userName(userName)).attachedPolicies());
            List<IdentityActions.Named> all = new ArrayList<>(own.policies());
            List<String> attached = new ArrayList<>(own.attached());
            for (var group : iam.listGroupsForUserPaginator(r -> r.userName(userName)).groups()) {
                ofGroup(group.groupName()).ifPresent(read -> {
                    read.policies().forEach(p -> all.add(
                            new IdentityActions.Named("group " + group.groupName() + ": " + p.name(), p.json())));
                    attached.addAll(read.attached());
                });
            }
            return Optional.of(new Read(all, attached));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    public Optional<Read> ofGroup(String groupName) {
        try {
            List<IdentityActions.Named> policies = new ArrayList<>();
            for (String name : iam.listGroupPoliciesPaginator(r -> r.groupName(groupName)).policyNames()) {
                policies.add(new IdentityActions.Named(name,
                        decode(iam.getGroupPolicy(r -> r.groupName(groupName).policyName(name)).policyDocument())));
            }
            return Optional.of(withManaged(policies,
                    iam.listAttachedGroupPoliciesPaginator(r -> r.groupName(groupName)).attachedPolicies()));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /** A managed policy's default version (AWS managed ones included), or empty when it does not exist. */
    public Optional<IdentityActions.Named> managed(String arn) {
        try {
            String version = iam.getPolicy(r -> r.policyArn(arn)).policy().defaultVersionId();
            return Optional.of(new IdentityActions.Named(arn, decode(iam.getPolicyVersion(r -> r.policyArn(arn)
                    .versionId(version)).policyVersion().document())));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /** The ARNs of the account's users (the iam-users rule's sweep). */
    public List<String> userArns() {
        return iam.listUsersPaginator().users().stream().map(u -> u.arn()).toList();
    }

    public List<String> groupArns() {
        return iam.listGroupsPaginator().groups().stream().map(g -> g.arn()).toList();
    }

    private Read withManaged(List<IdentityActions.Named> inline, Iterable<AttachedPolicy> attachedPolicies) {
        List<IdentityActions.Named> policies = new ArrayList<>(inline);
        List<String> attached = new ArrayList<>();
        for (AttachedPolicy policy : attachedPolicies) {
            attached.add(policy.policyArn());
            managed(policy.policyArn()).ifPresent(policies::add);
        }
        return new Read(policies, attached);
    }

    /**
     * IAM's documents are URL-encoded, where a '+' stays a '+' (RFC 3986, not a form); a document already plain JSON
     * (as an endpoint other than IAM's own may answer) is kept as it is.
     */
    public static String decode(String document) {
        if (document == null || document.stripLeading().startsWith("{")) {
            return document;
        }
        return URLDecoder.decode(document.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
