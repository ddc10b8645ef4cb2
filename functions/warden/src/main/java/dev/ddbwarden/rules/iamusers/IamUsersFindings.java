package dev.ddbwarden.rules.iamusers;

import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.policy.IdentityActions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The iam-users rule's decisions, pure: an IAM user that called DynamoDB or DAX (one alert per user and day), and a
 * user or group given DynamoDB or DAX permissions. Nothing is fixed (detaching a policy or a key breaks the
 * application that uses it); every finding says how to move the workload to a role.
 */
final class IamUsersFindings {
    static final String RULE = IamUsersRule.RULE;
    private static final Logger LOG = LoggerFactory.getLogger(IamUsersFindings.class);
    /**
     * An IAM user's ARN as IAM makes them: a path of at most 512 characters and a name of at most 64 (IAM's quotas).
     * CloudTrail writes no other; anything else is a forged or mangled record, and could not key the ledger anyway.
     */
    private static final Pattern USER_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:user(/[\\x21-\\x7E]{0,511})?/[\\w+=,.@-]{1,64}");
    /** How many actions an alert names before it counts the rest. */
    private static final int NAMED = 12;
    static final String TO_A_ROLE = "The security baseline wants roles (or a Cognito identity pool's role), whose credentials"
            + " expire, not IAM users' long-term access keys. Move the workload: 1. give it a role with the same DynamoDB and"
            + " DAX permissions, scoped to its tables (a Lambda execution role, an ECS task role, an EC2 instance profile; off"
            + " AWS, IAM Roles Anywhere; for end users, an identity pool's role); 2. switch the application to the role's"
            + " temporary credentials; 3. deactivate the user's access keys (aws iam update-access-key --user-name USER"
            + " --access-key-id KEY --status Inactive) and watch for failures; 4. then detach the user's DynamoDB policies,"
            + " take it out of groups that grant them, and delete the keys. ddb-warden changes nothing itself: detaching"
            + " would break whatever still uses the user.";

    private IamUsersFindings() {
    }

    /** A DynamoDB or DAX call by an IAM user: alerted once per user and UTC day, every such call counted. */
    static Optional<ResourceFinding> call(ApiCall call) {
        if (!IamUsersRule.IAM_USER.equals(call.actor().type()) || call.actor().arn().isEmpty()) {
            return Optional.empty();
        }
        String arn = call.actor().arn();
        if (!USER_ARN.matcher(arn).matches()) {
            LOG.warn("{} names an IAM user ARN IAM would not make ({} characters, starting {}); not acted on",
                    call.eventName(), arn.length(), Excerpt.line(arn.substring(0, Math.min(80, arn.length()))));
            return Optional.empty();
        }
        String name = call.actor().userName().isEmpty() ? arn.substring(arn.lastIndexOf('/') + 1) : call.actor().userName();
        String service = call.eventSource().substring(0, call.eventSource().indexOf('.'));
        String table = call.request("tableName");
        String once = call.eventTime().map(t -> "day#" + t.atOffset(ZoneOffset.UTC).toLocalDate()).orElse("");
        String detail = "IAM user " + Excerpt.line(arn) + " called " + service + ":" + Excerpt.line(call.eventName())
                + (table.isEmpty() ? "" : " on table " + Excerpt.line(table)) + " in " + call.region()
                + call.eventTime().map(t -> " at " + t).orElse("")
                + (call.sourceIp().isEmpty() ? "" : " from " + Excerpt.line(call.sourceIp()))
                + (call.userAgent().isEmpty() ? "" : " (" + Excerpt.line(call.userAgent()) + ")")
                + ". This is the first DynamoDB or DAX call of this user today (UTC): its later calls today are counted in"
                + " ddb-warden's ledger, not alerted again.";
        return Optional.of(new ResourceFinding(RULE, Severity.MEDIUM, new ResourceRef("IAM user", name, arn, call.region(),
                call.accountId()), "IAM user called DynamoDB", detail, TO_A_ROLE, once));
    }

    /**
     * A grant to a user or group: MEDIUM when what was granted allows any DynamoDB or DAX action (or could not be
     * judged).
     *
     * @param subject the user or group now holding the permissions
     * @param what    what was done, for the alert ("attached policy X to IAM user Y")
     */
    static Optional<ResourceFinding> grant(ResourceRef subject, String what, IdentityActions.Allowed allowed, String who) {
        Optional<String> grants = allows(allowed);
        if (grants.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ResourceFinding(RULE, Severity.MEDIUM, subject, "DynamoDB access granted to an "
                + subject.kind(),
                who + " " + what + ": " + subject.kind() + " " + Excerpt.line(subject.name()) + " " + grants.get() + ".", TO_A_ROLE));
    }

    /** A user or group found by the sweep with DynamoDB or DAX permissions. */
    static Optional<ResourceFinding> holds(ResourceRef subject, IdentityActions.Allowed allowed) {
        return allows(allowed).map(grants -> new ResourceFinding(RULE, Severity.MEDIUM, subject, subject.kind()
                + " with DynamoDB access", "Found by the scheduled sweep: " + subject.kind() + " " + Excerpt.line(subject.arn())
                + " " + grants + ".", TO_A_ROLE));
    }

    private static Optional<String> allows(IdentityActions.Allowed allowed) {
        if (allowed.actions().isEmpty() && allowed.unreadable().isEmpty()) {
            return Optional.empty();
        }
        List<String> actions = allowed.actions();
        String named = String.join(", ", actions.subList(0, Math.min(NAMED, actions.size())))
                + (actions.size() > NAMED ? " and " + (actions.size() - NAMED) + " more" : "");
        String what = actions.isEmpty() ? "" : "may use " + actions.size() + " DynamoDB and DAX actions (" + Excerpt.line(named)
                + "), granted by " + Excerpt.line(String.join(", ", allowed.grantedBy()));
        String unread = allowed.unreadable().isEmpty() ? "" : (what.isEmpty() ? "" : ", and ")
                + "has policies ddb-warden could not judge, counted as granting access: "
                + Excerpt.line(String.join("; ", allowed.unreadable()));
        return Optional.of(what + unread);
    }
}
