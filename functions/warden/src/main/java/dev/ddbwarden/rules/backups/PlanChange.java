package dev.ddbwarden.rules.backups;

import dev.ddbwarden.backup.BackupApi;
import dev.ddbwarden.backup.Coverage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an UpdateBackupPlan did to the retention of what the plan covers: the plan's coverage of DynamoDB, the rules
 * whose recovery points now live shorter than under the version before, or why the versions could not be compared.
 *
 * @param shortened one line per shortened rule ("rule daily: 35 → 1 day(s)")
 * @param unread    why the versions could not be read, when they could not
 */
record PlanChange(Coverage coverage, List<String> shortened, Optional<String> unread) {
    PlanChange {
        shortened = List.copyOf(shortened);
    }

    /**
     * The rules of {@code after} that keep their recovery points a shorter time than the rule of the same name in
     * {@code before}: fewer days, or days where there were none (kept for ever). A new rule shortens nothing.
     */
    static List<String> shortened(BackupApi.Plan before, BackupApi.Plan after) {
        Map<String, BackupApi.PlanRule> earlier = before.rules().stream()
                .collect(Collectors.toMap(BackupApi.PlanRule::name, Function.identity(), (a, b) -> a));
        List<String> shorter = new ArrayList<>();
        for (BackupApi.PlanRule rule : after.rules()) {
            BackupApi.PlanRule was = earlier.get(rule.name());
            if (was == null || rule.deleteAfterDays().isEmpty()) {
                continue;
            }
            long now = rule.deleteAfterDays().get();
            if (was.deleteAfterDays().isEmpty() || was.deleteAfterDays().get() > now) {
                shorter.add("rule " + rule.name() + ": " + was.deleteAfterDays().map(d -> d + " day(s)").orElse("kept for ever")
                        + " → " + now + " day(s)");
            }
        }
        return List.copyOf(shorter);
    }
}
