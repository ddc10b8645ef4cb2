package dev.ddbwarden.check;

import dev.ddbwarden.event.Actor;

/**
 * What ddb-warden itself is, as the watcher recognises it in a CloudTrail record: the resources of
 * one stack, named by CloudFormation from the stack name ({@code STACK-deletion-protection},
 * {@code STACK-AlertTopic-1AB2C3}, {@code STACK-Ledger-4D5E6F}, {@code STACK-DeletionProtectionRole-7G8H}),
 * in one partition and region, and the role that deploys it. The account is the call's own: EventBridge
 * delivers this account's events only.
 *
 * @param deploymentRoleArn the role whose calls are expected during a deployment, or empty
 */
public record Watched(String stackName, String partition, String region, String deploymentRoleArn) {

    public Watched {
        if (stackName.isEmpty()) {
            throw new IllegalArgumentException("the watcher needs the stack name to know ddb-warden's resources");
        }
    }

    /** Every name CloudFormation gives the stack's resources starts with this. */
    String prefix() {
        return stackName + "-";
    }

    /** The ledger's generated name starts with this. */
    String ledgerPrefix() {
        return stackName + "-Ledger";
    }

    /** Whether the call was made by the deployment role: directly, or by a session of it. */
    boolean isDeployer(Actor actor) {
        return !deploymentRoleArn.isEmpty() && deploymentRoleArn.equals(actor.principalArn());
    }
}
