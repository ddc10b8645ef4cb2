package dev.ddbwarden.rules.pointintimerecovery;

import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Outcome;
import dev.ddbwarden.fix.ResourceBusy;
import dev.ddbwarden.rules.pointintimerecovery.PointInTimeRecoveryRule.PitrRemedy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsUnavailableException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableNotFoundException;

import java.time.Duration;
import java.util.Set;

/**
 * UpdateContinuousBackups(PointInTimeRecoveryEnabled=true, RecoveryPeriodInDays): idempotent, so a retry that
 * repeats it does no harm. The alert quotes the new start of the restore window from the call's answer.
 */
final class EnablePitrFix implements Fix<PitrRemedy.EnablePitr> {
    /** A table whose continuous backups are still being set up (just created) is worth trying again soon. */
    private static final Duration UNAVAILABLE_WAIT = Duration.ofSeconds(5);

    private final RegionalDynamo dynamo;

    EnablePitrFix(RegionalDynamo dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Class<PitrRemedy.EnablePitr> remedy() {
        return PitrRemedy.EnablePitr.class;
    }

    @Override
    public Set<String> actions() {
        return Set.of("dynamodb:UpdateContinuousBackups");
    }

    @Override
    public Outcome apply(PitrRemedy.EnablePitr remedy, TableState state) {
        PointInTimeRecoveryRule.Pitr before = state.augment(PointInTimeRecoveryRule.Pitr.class).orElse(PointInTimeRecoveryRule.Pitr.off());
        if (before.enabled() && before.recoveryPeriodDays() == remedy.recoveryPeriodDays()) {
            return new Outcome(Outcome.Action.ALREADY_COMPLIANT, "Point-in-time recovery was already on.", state);
        }
        PointInTimeRecoveryRule.Pitr after;
        try {
            after = ContinuousBackupsAugment.pitr(dynamo.in(state.ref()).updateContinuousBackups(r -> r
                    .tableName(state.ref().arn())
                    .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(true)
                            .recoveryPeriodInDays(remedy.recoveryPeriodDays())))
                    .continuousBackupsDescription());
        } catch (TableNotFoundException | ResourceNotFoundException e) {
            return new Outcome(Outcome.Action.TABLE_GONE, "The table was deleted before ddb-warden could turn PITR on.");
        } catch (ContinuousBackupsUnavailableException e) {
            throw new ResourceBusy("continuous backups of " + state.ref().arn() + " are not available yet",
                    UNAVAILABLE_WAIT, null, e);
        }
        String window = after.earliestRestorable()
                .map(start -> " The restore window restarted: the earliest restorable time is now " + start + ".")
                .orElse(" The restore window restarted now.");
        return new Outcome(Outcome.Action.FIXED, remedy.done() + window, state.withAugment(PointInTimeRecoveryRule.Pitr.class, after));
    }
}
