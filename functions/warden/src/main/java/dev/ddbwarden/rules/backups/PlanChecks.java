package dev.ddbwarden.rules.backups;

import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.ResourceRef;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The backups rule's pure decision on UpdateBackupPlan: a rule of the plan now keeps its recovery points a shorter
 * time than the version before did, on a plan whose selections cover DynamoDB tables, lets AWS Backup's own
 * lifecycle delete them sooner, "routinely" (HIGH). Fails closed where AWS Backup could not say what the plan
 * covers or what the version before kept.
 */
final class PlanChecks {
    private static final String TITLE = "backup plan retention shortened";

    private PlanChecks() {
    }

    static Optional<ResourceFinding> retention(ApiCall call, ResourceRef plan, Optional<PlanChange> read) {
        String changed = plan.kind() + " " + plan.name() + " was changed by " + call.actor().describe();
        if (read.isEmpty()) {
            return Optional.of(finding(plan, changed + "; AWS Backup was not asked what it covers or what the version before"
                    + " kept, so ddb-warden alerts in case its retention of DynamoDB tables was shortened.", call));
        }
        PlanChange change = read.get();
        if (change.coverage() instanceof Coverage.NotDynamoDb) {
            return Optional.empty();
        }
        String covers = covers(change.coverage());
        if (change.unread().isPresent()) {
            return Optional.of(finding(plan, changed + ". " + covers + " ddb-warden could not compare its retention with the"
                    + " version before (" + Excerpt.line(change.unread().get()) + "), so it alerts in case it was shortened.",
                    call));
        }
        if (change.shortened().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(finding(plan, changed + ": its recovery points now live a shorter time ("
                + change.shortened().stream().map(Excerpt::line).collect(Collectors.joining("; ")) + "). " + covers
                + " AWS Backup's own lifecycle will delete them sooner, and those deletions look routine.", call));
    }

    private static String covers(Coverage coverage) {
        if (coverage instanceof Coverage.Tables tables) {
            return "Its selections cover DynamoDB: " + tables.tables().stream().map(Excerpt::line)
                    .collect(Collectors.joining(", ")) + ".";
        }
        return "What its selections cover could not be told (" + Excerpt.line(((Coverage.Unknown) coverage).why())
                + "), so ddb-warden counts DynamoDB tables in.";
    }

    private static ResourceFinding finding(ResourceRef plan, String detail, ApiCall call) {
        return new ResourceFinding(BackupsRule.RULE, Severity.HIGH, plan, TITLE, detail + BackupsRule.NEXT, "Ask " + call.actor().describe() + " why; if nobody meant it, restore the retention:"
                + " aws backup get-backup-plan --region " + plan.region() + " --backup-plan-id " + plan.name()
                + " --version-id PREVIOUS_VERSION, then update-backup-plan with that plan. Recovery points made meanwhile"
                + " keep the shorter life: lengthen each with update-recovery-point-lifecycle.");
    }
}
