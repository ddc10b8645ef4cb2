package dev.ddbwarden.handler;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which accounts' events a function acts on: its own always; the Organization's others only when a member role is
 * named (MEMBER_ROLE_NAME), through which it acts there. Asked before anything is read, so an event naming another
 * account in a one-account deployment (a forged event, a bus that admits too much) is skipped with its reason, never
 * acted on with the function's own credentials against a same-named table of its own account.
 *
 * @param home           the account the function runs in (from its own ARN: no STS call, and true after a restore)
 * @param memberRoleName the member role's name, empty for one account
 */
record AccountScope(String home, String memberRoleName) {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    /** The account of a Lambda function's ARN ({@code arn:<partition>:lambda:<region>:<account>:function:<name>...}). */
    static String accountOf(String functionArn) {
        String[] parts = functionArn.split(":", 6);
        return parts.length == 6 ? parts[4] : "";
    }

    /** Why the call's account is not acted on; empty when it is. */
    Optional<String> refusal(String account) {
        if (!ACCOUNT.matcher(account).matches()) {
            return Optional.of("the event names no account ID ('" + account + "')");
        }
        if (account.equals(home) || !memberRoleName.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the event is from account " + account + ", and this deployment guards only its own account "
                + home + " (MEMBER_ROLE_NAME is empty: deploy member.yaml and set MemberRoleName to guard an Organization)");
    }
}
