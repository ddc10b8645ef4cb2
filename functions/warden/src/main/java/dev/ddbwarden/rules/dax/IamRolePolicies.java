package dev.ddbwarden.rules.dax;

import dev.ddbwarden.config.Clients;
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
 * URL-encoded (RFC 3986), so each is decoded before it is judged.
 */
final class IamRolePolicies implements RolePolicies {
    private final IamClient iam;

    IamRolePolicies(IamClient iam) {
        this.iam = iam;
    }

    /** IAM is global: one client, at its global endpoint (or AWS_ENDPOINT_URL's). */
    static IamRolePolicies standard() {
        return new IamRolePolicies(Clients.standard(IamClient.builder()).region(Region.AWS_GLOBAL).build());
    }

    @Override
    public Optional<Read> of(String roleName) {
        try {
            List<IdentityActions.Named> policies = new ArrayList<>();
            for (String name : iam.listRolePoliciesPaginator(r -> r.roleName(roleName)).policyNames()) {
                policies.add(new IdentityActions.Named(name,
                        decode(iam.getRolePolicy(r -> r.roleName(roleName).policyName(name)).policyDocument())));
            }
            List<String> attached = new ArrayList<>();
            for (AttachedPolicy policy : iam.listAttachedRolePoliciesPaginator(r -> r.roleName(roleName)).attachedPolicies()) {
                String arn = policy.policyArn();
                attached.add(arn);
                String version = iam.getPolicy(r -> r.policyArn(arn)).policy().defaultVersionId();
                policies.add(new IdentityActions.Named(arn, decode(iam.getPolicyVersion(r -> r.policyArn(arn)
                        .versionId(version)).policyVersion().document())));
            }
            return Optional.of(new Read(policies, attached));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /**
     * IAM's documents are URL-encoded, where a '+' stays a '+' (RFC 3986, not a form); a document already plain JSON
     * (as an endpoint other than IAM's own may answer) is kept as it is.
     */
    static String decode(String document) {
        if (document == null || document.stripLeading().startsWith("{")) {
            return document;
        }
        return URLDecoder.decode(document.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
