package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bench/faults' fast subset, in every build: the same scenarios and code paths at small scale with fixed
 * seeds (a regression fails here, not only in the full run). Each asserts zero duplicates, zero lost
 * events and zero crashes, and the scenario's own checks. Rerun one at full scale with
 * {@code bench/faults --only NAME --seed N}.
 */
class FaultsFastIT {
    private static final long SEED = 20_240_514L;

    @Test
    void deliveredTwice_someAtOnce_with500s_shouldEndRight_withOneAlertPerViolation() throws Exception {
        Tally tally = scenarios().deliveries();

        assertClean(tally);
        assertThat(tally.violationCount()).isPositive();
        assertThat(tally.alerts).isEqualTo(tally.violationCount());
    }

    @Test
    void frozenThenRefusingEndpoint_shouldLoseNothing_onceReplayFailuresRan() throws Exception {
        Tally tally = scenarios().outage();

        assertClean(tally);
        assertThat(tally.sentToDeadLetterQueue.sum() + tally.sentToFailureQueue.sum())
                .as("something must have needed replay-failures, or the scenario tested nothing").isPositive();
        assertThat(tally.alerts).isEqualTo(tally.violationCount());
    }

    @Test
    void snsDown_shouldKeepTheFixes_andAlertOnceOnRetry() throws Exception {
        Tally tally = scenarios().snsDown();

        assertClean(tally);
        assertThat(tally.alerts).isEqualTo(tally.violationCount());
    }

    @Test
    void mutatedEvents_shouldNeverCrash_norActOnATableTheyDoNotName() throws Exception {
        Tally tally = scenarios().mutations();

        assertClean(tally);
        assertThat(tally.events).isEqualTo(FaultScenarios.FAST.mutants());
    }

    @Test
    void tugOfWar_shouldTripTheBreakerOnce_withOneCriticalAlert() throws Exception {
        Tally tally = scenarios().tugOfWar();

        assertClean(tally);
    }

    private static FaultScenarios scenarios() {
        return new FaultScenarios(SharedMoto.fresh(), SEED, FaultScenarios.FAST);
    }

    private static void assertClean(Tally tally) {
        StringBuilder report = new StringBuilder(tally.scenario).append('\n');
        tally.failedChecks.forEach(c -> report.append("  FAILED: ").append(c).append('\n'));
        tally.notes.forEach(n -> report.append("  ").append(n).append('\n'));
        tally.failureSamples.forEach(c -> report.append("  threw: ").append(c).append('\n'));
        tally.crashSamples.forEach(c -> report.append("  crash: ").append(c).append('\n'));
        tally.crashInputs.forEach(c -> report.append("  crashing input: ").append(c).append('\n'));
        assertThat(tally.crashes.get()).as(report.toString()).isZero();
        assertThat(tally.duplicates).as(report.toString()).isZero();
        assertThat(tally.lost).as(report.toString()).isZero();
        assertThat(tally.failedChecks).as(report.toString()).isEmpty();
    }
}
