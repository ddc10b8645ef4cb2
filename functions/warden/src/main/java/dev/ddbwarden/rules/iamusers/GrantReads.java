package dev.ddbwarden.rules.iamusers;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.state.CallAugment;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static dev.ddbwarden.rules.iamusers.IamUsersRule.ADD_USER_TO_GROUP;
import static dev.ddbwarden.rules.iamusers.IamUsersRule.ATTACH_GROUP_POLICY;
import static dev.ddbwarden.rules.iamusers.IamUsersRule.ATTACH_USER_POLICY;
import static dev.ddbwarden.rules.iamusers.IamUsersRule.CREATE_ACCESS_KEY;

/**
 * The iam-users rule's reads of IAM about a grant, made at the edge so that its decision stays pure: the default
 * version of a managed policy attached to a user or group, the policies of the group a user joined, or of the user an
 * access key was made for. An inline policy is in the record itself, and a DynamoDB or DAX call needs no read. A name
 * IAM would not make reads nothing.
 */
final class GrantReads implements CallAugment<Granted> {
    private final Function<String, UserPolicies> iam;

    /** @param iam the IAM reader of an account */
    GrantReads(Function<String, UserPolicies> iam) {
        this.iam = iam;
    }

    @Override
    public Class<Granted> type() {
        return Granted.class;
    }

    @Override
    public Optional<Granted> read(ApiCall call, Settings settings) {
        if (!IamUsersRule.IAM_SOURCE.equals(call.eventSource())) {
            return Optional.empty();
        }
        return switch (call.eventName()) {
            case ATTACH_USER_POLICY, ATTACH_GROUP_POLICY -> IamUsersRule.policyArn(call)
                    .flatMap(arn -> iam.apply(call.accountId()).managed(arn)).map(policy -> new Granted(List.of(policy)));
            case ADD_USER_TO_GROUP -> IamUsersRule.name(call.request("userName")).flatMap(user ->
                    IamUsersRule.name(call.request("groupName"))).flatMap(group -> iam.apply(call.accountId()).group(group))
                    .map(read -> new Granted(read.policies()));
            case CREATE_ACCESS_KEY -> IamUsersRule.keyOwner(call).flatMap(user -> iam.apply(call.accountId()).user(user))
                    .map(read -> new Granted(read.policies()));
            default -> Optional.empty();
        };
    }
}
