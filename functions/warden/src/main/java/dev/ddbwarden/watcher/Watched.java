package dev.ddbwarden.watcher;

import dev.ddbwarden.event.Actor;

/**
 * What ddb-warden itself is, as the watcher recognises it in a CloudTrail record: the resources of
 * one stack, named by CloudFormation from the stack name ({@code STACK-deletion-protection},
 * {@code STACK-AlertTopic-1AB2C3}, {@code STACK-Ledger-4D5E6F}, {@code STACK-DeletionProtectionRole-7G8H}),
 * in one partition and region, and the role that deploys it. The account is the call's own: EventBridge
 * delivers this account's events only. The alert topic's KMS key is the one resource CloudFormation names
 * at random (a key ID), so the stack tells the watcher its ARN.
 *
 * @param deploymentRoleArn the role whose calls are expected during a deployment, or empty
 * @param alertKeyArn       the alert topic's KMS key, or empty when not known (no key call is then ours)
 */
public record Watched(String stackName, String partition, String region, String deploymentRoleArn,
                      String alertKeyArn) {

    public Watched {
        if (stackName.isEmpty()) {
            throw new IllegalArgumentException("the watcher needs the stack name to know ddb-warden's resources");
        }
    }

    /** A stack whose alert key the watcher is not told: calls on keys are never ddb-warden's. */
    public Watched(String stackName, String partition, String region, String deploymentRoleArn) {
        this(stackName, partition, region, deploymentRoleArn, "");
    }

    /** Every name CloudFormation gives the stack's resources starts with this. */
    String prefix() {
        return stackName + "-";
    }

    /** The ledger's generated name starts with this. */
    String ledgerPrefix() {
        return stackName + "-Ledger";
    }

    /** Every name of the stack's SSM parameters (its settings parameter) starts with this. */
    String parameterPrefix() {
        return "/ddb-warden/" + stackName + "/";
    }

    /** Whether the call was made by the deployment role: directly, or by a session of it. */
    boolean isDeployer(Actor actor) {
        return !deploymentRoleArn.isEmpty() && deploymentRoleArn.equals(actor.principalArn());
    }
}
