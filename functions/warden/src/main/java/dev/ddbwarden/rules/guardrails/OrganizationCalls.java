package dev.ddbwarden.rules.guardrails;

import dev.ddbwarden.event.ApiCall;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the records of AWS Organizations' policy calls name, read from their request (the API's parameters, first
 * letter lowercased: AttachPolicy's {@code policyId} and {@code targetId} are in AWS's own example record;
 * events/README.md says how sure the rest is). No record names the policy's name or type: only a read tells them.
 */
final class OrganizationCalls {
    static final String SOURCE = "aws.organizations";
    static final String DETACH = "DetachPolicy";
    static final String DELETE = "DeletePolicy";
    static final String UPDATE = "UpdatePolicy";
    static final String DISABLE_TYPE = "DisablePolicyType";
    static final String SCP = "SERVICE_CONTROL_POLICY";
    static final String RCP = "RESOURCE_CONTROL_POLICY";
    /** The policy types ddb-warden ships policies of. */
    static final Set<String> GUARDRAIL_TYPES = Set.of(SCP, RCP);
    /** A root (r-), an OU (ou-) or an account (12 digits), AWS Organizations' patterns for a target. */
    private static final Pattern TARGET = Pattern.compile("r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\\d{12}");
    private static final Pattern ROOT = Pattern.compile("r-[0-9a-z]{4,32}");
    private static final Pattern CUSTOMER_POLICY = Pattern.compile("p-[0-9a-z]+");

    private OrganizationCalls() {
    }

    /** The policy the call names, when its ID is one AWS Organizations could have given. */
    static Optional<String> policyId(ApiCall call) {
        String id = call.request("policyId");
        return GuardedPolicies.POLICY_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /**
     * Whether a policy ID is one of AWS's own (FullAWSAccess is {@code p-FullAWSAccess}): the IDs of an organization's
     * policies are lowercase letters and digits only (the policy ARN's pattern in the API reference's PolicySummary),
     * AWS managed ones may hold capitals and {@code _}. AWS's policies cannot be ddb-warden's, and are not read.
     */
    static boolean awsManaged(String policyId) {
        return !CUSTOMER_POLICY.matcher(policyId).matches();
    }

    /** The root, OU or account a DetachPolicy names. */
    static Optional<String> target(ApiCall call) {
        String id = call.request("targetId");
        return TARGET.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /** The root a DisablePolicyType names. */
    static Optional<String> root(ApiCall call) {
        String id = call.request("rootId");
        return ROOT.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    /** A target in words: which kind of target, and what a policy there covers. */
    static String describeTarget(String target) {
        if (target.startsWith("r-")) {
            return "the organization's root " + target + " (every account of the organization)";
        }
        return target.startsWith("ou-") ? "the OU " + target + " (every account in it and in the OUs below it)"
                : "the account " + target;
    }

    /** Whether an UpdatePolicy changed the policy's name, its content, both, or neither (its description alone). */
    static boolean changesName(ApiCall call) {
        return call.requestParameters().has("name");
    }

    static boolean changesContent(ApiCall call) {
        return call.requestParameters().has("content");
    }
}
