package dev.ddbwarden.rules.iamusers;

import dev.ddbwarden.config.PerAccount;
import dev.ddbwarden.policy.IdentityActions;
import dev.ddbwarden.rules.dax.IamRolePolicies;
import dev.ddbwarden.rules.dax.RolePolicies;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.util.List;
import java.util.Optional;

/** What the iam-users rule reads of IAM: users' and groups' policies (the dax rule's reader), and who there is. */
interface UserPolicies {

    /** A user's policies, its groups' included; empty when the user does not exist (any more). */
    Optional<RolePolicies.Read> user(String name);

    Optional<RolePolicies.Read> group(String name);

    /** A managed policy's default version, AWS managed ones included. */
    Optional<IdentityActions.Named> managed(String arn);

    List<String> userArns();

    List<String> groupArns();

    /** Where this function runs: IAM is global, so the sweep reads it in this one of its regions. */
    String homeRegion();

    /** One per account ({@link PerAccount}), each reading that account's IAM with its credentials. */
    static PerAccount<UserPolicies> perAccount() {
        return PerAccount.of(credentials -> standard(IamRolePolicies.with(credentials)));
    }

    static UserPolicies standard(IamRolePolicies iam) {
        String home = new DefaultAwsRegionProviderChain().getRegion().id();
        return new UserPolicies() {
            @Override
            public Optional<RolePolicies.Read> user(String name) {
                return iam.ofUser(name);
            }

            @Override
            public Optional<RolePolicies.Read> group(String name) {
                return iam.ofGroup(name);
            }

            @Override
            public Optional<IdentityActions.Named> managed(String arn) {
                return iam.managed(arn);
            }

            @Override
            public List<String> userArns() {
                return iam.userArns();
            }

            @Override
            public List<String> groupArns() {
                return iam.groupArns();
            }

            @Override
            public String homeRegion() {
                return home;
            }
        };
    }
}
