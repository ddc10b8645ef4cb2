package dev.ddbwarden.rules.guardrails;

/** Reads a policy of the organization by its ID: {@link OrganizationsApi}, or a stub in tests. */
@FunctionalInterface
interface PolicyReader {

    /**
     * @param region where the call was recorded, which names AWS Organizations' endpoint (us-east-1 in the aws
     *               partition)
     */
    PolicyRead describe(String policyId, String region);
}
