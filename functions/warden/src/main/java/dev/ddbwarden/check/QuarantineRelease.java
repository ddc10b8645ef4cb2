package dev.ddbwarden.check;

import dev.ddbwarden.event.TableRef;

import java.util.List;

/**
 * Who can still act on a table ddb-warden quarantined, named exactly: the steps of an alert are run by this
 * principal, never by "a security role" in general. The first security role in QuarantineExemptPrincipals when
 * there is one, since the statement spares it for every action. Otherwise nobody a person can become is spared,
 * and the account's root user is the one principal left: DynamoDB lets the root principal call
 * DeleteResourcePolicy even when the resource policy denies it (DynamoDB API Reference, DeleteResourcePolicy), and
 * nothing else, so that deletion is its one step and every other step comes after it.
 *
 * @param principalArn the principal that runs the steps
 * @param actAs        how to act as it, one sentence ending in a command or an instruction
 * @param rootOnly     whether the principal may only delete the policy (the root user's exception)
 */
record QuarantineRelease(String principalArn, String actAs, boolean rootOnly) {

    static QuarantineRelease of(TableRef table, List<String> exemptRoles) {
        if (exemptRoles.isEmpty()) {
            String root = "arn:" + table.partition() + ":iam::" + table.accountId() + ":root";
            return new QuarantineRelease(root, "sign in to account " + table.accountId() + " as its root user and run"
                    + " the command as that user", true);
        }
        String role = exemptRoles.get(0);
        return new QuarantineRelease(role, "aws sts assume-role --role-arn " + role
                + " --role-session-name ddb-warden-release, and run the commands with the credentials it returns", false);
    }
}
