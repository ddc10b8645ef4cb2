package dev.ddbwarden.handler;

import dev.ddbwarden.TestEvents;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.ledger.LedgerKey;
import dev.ddbwarden.state.TimeBudget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.ddbwarden.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * RULE_MODES where the pipeline decides to fix: a rule that is off answers with a reason and no action, a rule in
 * notify mode alerts without fixing and says which setting made it notify. Deletion protection stands for every rule.
 */
class RuleModesPipelineTest extends PipelineHarness {

    private List<Result> process(Map<String, String> env) {
        return process(Settings.from(env::get), event("CreateTable", "orders"), 0,
                TimeBudget.of(clock, Duration.ofMinutes(5), Duration.ZERO));
    }

    @Test
    void process_shouldDoNothing_andNotEvenRead_whenTheRuleIsOff() {
        // GIVEN an unprotected table, and deletion protection turned off by its own entry
        givenReads(table("ACTIVE", false));

        // WHEN
        List<Result> results = process(Map.of(EnvVar.RULE_MODES, "deletion-protection=off"));

        // THEN a reason, no read, no fix, no ledger entry, no alert
        assertThat(results).containsExactly(Result.skipped(RULE, ARN, "SKIPPED_RULE_OFF"));
        verifyNoInteractions(dynamo);
        assertThat(ledger.find(KEY)).isEmpty();
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void process_shouldStayOff_whenRemediationModeIsNotify() {
        givenReads(table("ACTIVE", false));

        List<Result> results = process(Map.of(EnvVar.REMEDIATION_MODE, "notify", EnvVar.RULE_MODES, "deletion-protection=off"));

        assertThat(results).containsExactly(Result.skipped(RULE, ARN, "SKIPPED_RULE_OFF"));
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void process_shouldAlertWithoutFixing_andNameRuleModes_whenTheRuleIsInNotifyMode() {
        // GIVEN an unprotected table, and deletion protection in notify mode by its own entry
        givenReads(table("ACTIVE", false));

        // WHEN
        List<Result> results = process(Map.of(EnvVar.RULE_MODES, "public-access=remediate,deletion-protection=notify"));

        // THEN an alert that says which setting made it notify, and no fix
        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "NOT_FIXED_NOTIFY_MODE", "sent"));
        assertThat(updateTableCalls()).isZero();
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body())
                .contains("Nothing was changed: the deletion-protection rule runs in notify mode"
                        + " (RULE_MODES: deletion-protection=notify).")
                .doesNotContain("REMEDIATION_MODE"));
    }

    @Test
    void process_shouldNameRemediationMode_whenTheGlobalModeCapsARuleThatSaysRemediate() {
        givenReads(table("ACTIVE", false));

        List<Result> results = process(Map.of(EnvVar.REMEDIATION_MODE, "notify", EnvVar.RULE_MODES,
                "deletion-protection=remediate"));

        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "NOT_FIXED_NOTIFY_MODE", "sent"));
        assertThat(updateTableCalls()).isZero();
        assertThat(publisher.published()).singleElement().satisfies(a -> assertThat(a.body())
                .contains("Nothing was changed: ddb-warden runs in notify mode (REMEDIATION_MODE=notify)."));
    }

    @Test
    void process_shouldFix_whenAnotherRuleIsOffOrNotify() {
        givenReads(table("ACTIVE", false), table("ACTIVE", true));

        List<Result> results = process(Map.of(EnvVar.RULE_MODES, "public-access=off,region-guard=notify"));

        assertThat(results).containsExactly(new Result(RULE, ARN, "MEDIUM", "FIXED", "sent"));
        assertThat(updateTableCalls()).isEqualTo(1);
        assertThat(ledger.find(LedgerKey.of(TestEvents.EVENT_ID, RULE, ARN))).isPresent();
    }
}
