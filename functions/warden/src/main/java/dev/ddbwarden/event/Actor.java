package dev.ddbwarden.event;

/**
 * Who made a call, as CloudTrail's {@code userIdentity} says. Any field may be empty: a root user has
 * no session, an AWS service has no ARN, and newer identity types carry fields older code never saw.
 */
public record Actor(
        String type,
        String arn,
        String accountId,
        String userName,
        String sessionIssuerArn,
        String invokedBy) {

    public static final Actor UNKNOWN = new Actor("", "", "", "", "", "");

    /**
     * The ARN an allow-list names: the role behind an assumed-role session (sessions are named by
     * whoever assumes the role, so only the role is stable), otherwise the identity's own ARN.
     */
    public String principalArn() {
        if (!sessionIssuerArn.isEmpty()) {
            return sessionIssuerArn;
        }
        return arn;
    }

    /**
     * One line a person can read: the ARN, or the service, with the identity type. Each part is quoted as
     * an {@link Excerpt#line}: an event may carry an ARN of any size, or one holding line breaks.
     */
    public String describe() {
        String who = !arn.isEmpty() ? arn : !invokedBy.isEmpty() ? invokedBy : "unknown principal";
        StringBuilder text = new StringBuilder(Excerpt.line(who));
        if (!type.isEmpty()) {
            text.append(" (").append(Excerpt.line(type));
            if (!sessionIssuerArn.isEmpty()) {
                text.append(" of ").append(Excerpt.line(sessionIssuerArn));
            }
            text.append(')');
        }
        return text.toString();
    }
}
