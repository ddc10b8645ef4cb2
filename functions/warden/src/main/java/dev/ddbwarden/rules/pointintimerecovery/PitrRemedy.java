package dev.ddbwarden.rules.pointintimerecovery;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;

/** What the point-in-time-recovery rule can ask to be done, besides an alert. */
public sealed interface PitrRemedy extends Remedy {

    /** UpdateContinuousBackups(PointInTimeRecoveryEnabled=true, RecoveryPeriodInDays=days). */
    record EnablePitr(int recoveryPeriodDays) implements PitrRemedy {
        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return "Turned point-in-time recovery on with a " + recoveryPeriodDays
                    + "-day recovery period (UpdateContinuousBackups).";
        }

        @Override
        public String manualStep(TableRef table) {
            return "aws dynamodb update-continuous-backups --region " + table.region() + " --table-name " + table.arn()
                    + " --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true,RecoveryPeriodInDays="
                    + recoveryPeriodDays;
        }
    }
}
