package dev.ddbwarden.rules.egress;

import dev.ddbwarden.backup.Coverage;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.Excerpt;
import dev.ddbwarden.event.ResourceRef;
import dev.ddbwarden.event.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * The egress rule's pure decisions on AWS Backup copies that name no table: a copy job of a recovery point made with
 * advanced features, and a plan whose copy actions send recovery points to a vault outside ALLOWED_REGIONS (HIGH; a
 * destination that is no vault ARN, region unknown: MEDIUM). What AWS Backup said the point or the plan covers
 * decides whether DynamoDB is concerned: another service's is not this rule's business, and no answer counts as
 * DynamoDB's, saying so.
 */
final class BackupCopies {
    private BackupCopies() {
    }

    /** A recovery point ARN of AWS Backup's own, which names no resource. */
    static boolean advanced(String recoveryPoint) {
        return recoveryPoint.matches("arn:aws[a-z-]*:backup:[a-z0-9-]{1,32}:\\d{12}:recovery-point:[A-Za-z0-9-]{1,128}");
    }

    /** The plan a plan call made or changed, or a selection call added to; empty for other calls or a malformed ID. */
    static Optional<String> planId(ApiCall call) {
        String id = switch (call.eventName()) {
            case BackupReads.CREATE_PLAN -> call.responseElements().path("backupPlanId").asText("");
            case BackupReads.UPDATE_PLAN, BackupReads.CREATE_SELECTION -> call.request("backupPlanId");
            default -> null;
        };
        return id != null && BackupReads.ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    static Optional<ResourceFinding> copyJob(ApiCall call, Optional<Coverage> source, Settings settings) {
        String point = call.request("recoveryPointArn");
        if (!advanced(point) || source.filter(Coverage.NotDynamoDb.class::isInstance).isPresent()) {
            return Optional.empty();
        }
        String vault = Excerpt.line(call.request("destinationBackupVaultArn"));
        Optional<Severity> severity = judge(List.of(vault), settings);
        if (severity.isEmpty()) {
            return Optional.empty();
        }
        ResourceRef ref = new ResourceRef("AWS Backup recovery point", point.substring(point.lastIndexOf(':') + 1) + " in vault "
                + Excerpt.line(call.request("sourceBackupVaultName")), point, call.region(), call.accountId());
        return Optional.of(new ResourceFinding(EgressRule.RULE, severity.get(), ref, title(severity.get(), "backup copy"),
                "AWS Backup is copying recovery point " + point + covered(source, "a backup of DynamoDB table",
                        "which resource it was taken of") + " to vault " + vault + ", at the request of "
                        + call.actor().describe() + ". " + where(List.of(vault), settings),
                "Find out whether the copy was authorised; if not, have the owner of vault " + vault + " delete the copied"
                        + " recovery point once the job ends (aws backup list-copy-jobs, then delete-recovery-point in the"
                        + " vault's region)."));
    }

    static Optional<ResourceFinding> planCopies(ApiCall call, Optional<PlanCopies> read, Settings settings) {
        Optional<String> planId = planId(call);
        if (planId.isEmpty() || read.map(PlanCopies::coverage).filter(Coverage.NotDynamoDb.class::isInstance).isPresent()) {
            return Optional.empty();
        }
        List<String> destinations = read.filter(r -> r.unread().isEmpty()).map(PlanCopies::destinations).orElseGet(() -> recorded(call));
        List<String> away = destinations.stream().map(Excerpt::line).filter(vault -> judge(List.of(vault), settings).isPresent()).toList();
        Optional<String> unread = read.flatMap(PlanCopies::unread);
        ResourceRef plan = plan(call, planId.get());
        if (away.isEmpty() && (unread.isEmpty() || !destinations.isEmpty())) {
            return Optional.empty();
        }
        Optional<Coverage> coverage = read.map(PlanCopies::coverage);
        String what = plan.kind() + " " + plan.name() + (BackupReads.CREATE_SELECTION.equals(call.eventName())
                ? " was added by " : " was " + (BackupReads.CREATE_PLAN.equals(call.eventName()) ? "created" : "changed") + " by ")
                + call.actor().describe();
        String advice = "Find out whether the copies were authorised; if not, remove the copy actions (aws backup"
                + " update-backup-plan) and have the owners of the vaults delete what was copied.";
        if (away.isEmpty()) {
            return Optional.of(new ResourceFinding(EgressRule.RULE, Severity.HIGH, plan, "backup plan copies unknown", what
                    + covered(coverage, "; it covers DynamoDB tables", "what the plan covers") + ". ddb-warden could not read where"
                    + " the plan copies recovery points (" + Excerpt.line(unread.get()) + "), so it alerts in case a copy"
                    + " leaves ALLOWED_REGIONS (" + String.join(", ", settings.allowedRegions()) + ").", advice));
        }
        Severity severity = judge(away, settings).orElseThrow();
        return Optional.of(new ResourceFinding(EgressRule.RULE, severity, plan, title(severity, "backup plan copy"),
                what + covered(coverage, "; it covers DynamoDB tables", "what the plan covers") + ". Its copy actions send"
                        + " every recovery point it makes to " + String.join(", ", away) + ". " + where(away, settings), advice));
    }

    /** HIGH when a vault is in a region outside ALLOWED_REGIONS, MEDIUM when a region cannot be read, else none. */
    private static Optional<Severity> judge(List<String> vaults, Settings settings) {
        Severity worst = null;
        for (String vault : vaults) {
            Matcher arn = Copies.VAULT.matcher(vault);
            if (!arn.matches()) {
                worst = worst == null ? Severity.MEDIUM : worst;
            } else if (!settings.allowedRegions().contains(arn.group(1))) {
                worst = Severity.HIGH;
            }
        }
        return Optional.ofNullable(worst);
    }

    private static String where(List<String> vaults, Settings settings) {
        List<String> said = new ArrayList<>();
        for (String vault : vaults) {
            Matcher arn = Copies.VAULT.matcher(vault);
            said.add(arn.matches() ? "Vault " + vault + " is in " + arn.group(1) : "The destination " + vault
                    + " is not a vault ARN: region unknown");
        }
        return String.join("; ", said) + ", outside ALLOWED_REGIONS (" + String.join(", ", settings.allowedRegions())
                + "): data residency covers copies too.";
    }

    private static String title(Severity severity, String what) {
        return severity == Severity.HIGH ? what + " to a vault outside the allowed regions" : what + " to a vault in a region unknown";
    }

    /** ", {said} T" when AWS Backup named tables; else why DynamoDB is counted in. */
    private static String covered(Optional<Coverage> coverage, String said, String what) {
        if (coverage.orElse(null) instanceof Coverage.Tables tables) {
            return (said.startsWith(";") ? said : ", " + said) + " " + tables.tables().stream().map(Excerpt::line)
                    .collect(Collectors.joining(", ")) + (said.startsWith(";") ? "" : ",");
        }
        String why = coverage.orElse(null) instanceof Coverage.Unknown unknown ? "AWS Backup did not say " + what + ": "
                + Excerpt.line(unknown.why()) : "AWS Backup was not asked " + what;
        return " (" + why + "; ddb-warden counts it as DynamoDB's, in case)";
    }

    private static ResourceRef plan(ApiCall call, String planId) {
        String arn = "arn:" + TableRef.partitionOf(call.region()) + ":backup:" + call.region() + ":" + call.accountId()
                + ":backup-plan:" + planId;
        String selection = call.responseElements().path("selectionId").asText("");
        if (BackupReads.CREATE_SELECTION.equals(call.eventName()) && BackupReads.ID.matcher(selection).matches()) {
            return new ResourceRef("AWS Backup selection", selection + " of plan " + planId, arn + "/selection/" + selection,
                    call.region(), call.accountId());
        }
        return new ResourceRef("AWS Backup plan", planId, arn, call.region(), call.accountId());
    }

    /** The copy destinations the record's request names (CreateBackupPlan, UpdateBackupPlan), for want of the plan. */
    private static List<String> recorded(ApiCall call) {
        List<String> vaults = new ArrayList<>();
        call.requestParameters().path("backupPlan").path("rules").forEach(rule -> rule.path("copyActions")
                .forEach(copy -> vaults.add(copy.path("destinationBackupVaultArn").asText(""))));
        return vaults;
    }
}
