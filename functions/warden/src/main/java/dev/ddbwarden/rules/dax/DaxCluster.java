package dev.ddbwarden.rules.dax;

/**
 * A DAX cluster as DescribeClusters shows it: what the rule decides on, and what the sweep reports.
 *
 * @param sse                DAX's SSEDescription.Status: ENABLED, ENABLING, DISABLED or DISABLING (empty when none)
 * @param endpointEncryption ClusterEndpointEncryptionType: TLS or NONE (DAX answers NONE for a cluster made before it)
 * @param roleArn            IamRoleArn, the service role DAX reaches DynamoDB with
 */
record DaxCluster(String name, String arn, String region, String sse, String endpointEncryption, String roleArn,
                  String status) {
    static final String NONE = "NONE";

    /** Encryption at rest on, or being turned on when the cluster was made. */
    boolean encryptedAtRest() {
        return "ENABLED".equals(sse) || "ENABLING".equals(sse);
    }

    /** Clients reach it in plain text: DAX defaults to NONE when CreateCluster names no type. */
    boolean plaintextEndpoint() {
        return !"TLS".equals(endpointEncryption);
    }

    /** The account in the cluster's ARN. */
    String accountId() {
        String[] fields = arn.split(":", 6);
        return fields.length == 6 ? fields[4] : "";
    }

    /** One line for alerts and the sweep: what a reader checks. */
    String describe() {
        return name + " (" + region + ": encryption at rest " + (sse.isEmpty() ? "DISABLED" : sse) + ", endpoint "
                + (endpointEncryption.isEmpty() ? NONE : endpointEncryption) + ", role " + (roleArn.isEmpty() ? "none" : roleArn) + ")";
    }
}
