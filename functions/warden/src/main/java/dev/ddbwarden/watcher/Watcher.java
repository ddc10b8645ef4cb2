package dev.ddbwarden.watcher;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.ddbwarden.check.Severity;

/**
 * Watches the watcher: decides whether a call blinds or disarms ddb-warden itself (its trail, rules,
 * functions and their alias, queues, alert topic and its key, sweep, roles or ledger). Pure: the call
 * and what ddb-warden is are all it reads. Never exempt, never subject to notify mode or EXEMPT_TABLES:
 * there is nothing to fix, only to tell.
 */
public final class Watcher {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    private Watcher() {
    }

    /** The tampering a successful call amounts to, or empty when it leaves ddb-warden alone. */
    public static Optional<Tampering> classify(ApiCall call, Watched watched) {
        if (call.failed()) {
            return Optional.empty();
        }
        for (WatchedCall row : WatchedCalls.all()) {
            if (!row.matches(call)) {
                continue;
            }
            Optional<WatchedTarget.Subject> subject = row.named(call).stream()
                    .map(named -> row.target().ours(named, call, watched))
                    .flatMap(Optional::stream)
                    .findFirst();
            if (subject.isEmpty() && row.named(call).isEmpty()) {
                subject = row.target().ours("", call, watched);
            }
            if (subject.isPresent()) {
                return Optional.of(tampering(row, subject.get(), call, watched));
            }
        }
        return Optional.empty();
    }

    private static Tampering tampering(WatchedCall row, WatchedTarget.Subject subject, ApiCall call, Watched watched) {
        // Who the deployer is is itself a line of the settings parameter, so a write to it could name its own
        // writer: such a write is never rated by that line, whoever made it.
        boolean rateable = row.target() != WatchedTarget.PARAMETER;
        Severity severity = rateable && watched.isDeployer(call.actor()) ? Severity.LOW : Severity.CRITICAL;
        String what = fill(row.what(), subject, call, watched);
        if (!rateable && watched.isDeployer(call.actor())) {
            what += " by the configured deployment role (CRITICAL all the same: DeploymentRoleArn is a line of this"
                    + " parameter, so its writer could have named itself)";
        }
        // Quoted once here, so the alert, the ledger key (a sort key holds 1,024 bytes) and the result agree.
        return new Tampering(severity, Excerpt.line(subject.resource()),
                what,
                fill(row.target().why(), subject, call, watched),
                fill(row.target().check(), subject, call, watched),
                fill(row.undo(), subject, call, watched) + "\n  " + whoUndoes(watched));
    }

    /** Who can run the undo as written: protect-ddb-warden.json refuses it on ddb-warden's resources to anyone else. */
    static String whoUndoes(Watched watched) {
        String deployer = watched.deploymentRoleArn().isEmpty()
                ? "the role that deploys ddb-warden (DeploymentRoleArn is not set)"
                : watched.deploymentRoleArn() + " (DeploymentRoleArn)";
        return "Run it as " + deployer + " or a security role: where protect-ddb-warden.json is attached, it refuses"
                + " these changes on ddb-warden's resources to everyone else.";
    }

    /**
     * One pass, so that a name holding a placeholder's spelling is quoted, not expanded. Every value is a
     * quote from the call, bounded and kept on one line, so the texts around it survive any name.
     */
    private static String fill(String text, WatchedTarget.Subject subject, ApiCall call, Watched watched) {
        Map<String, String> values = Map.of(
                "name", subject.name(),
                "arn", subject.arn(),
                "resource", subject.resource(),
                "stack", watched.stackName(),
                "region", call.region(),
                "account", call.accountId(),
                "eventId", call.eventId());
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("unknown placeholder " + matcher.group() + " in the watcher's table");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(Excerpt.line(value)));
        }
        return matcher.appendTail(out).toString();
    }
}
