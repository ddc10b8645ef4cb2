package dev.ddbwarden.watcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.check.Severity;
import dev.ddbwarden.event.ApiCall;
import org.junit.jupiter.api.Test;

import java.util.Map;
import dev.ddbwarden.alert.Alert;

import static dev.ddbwarden.TestEvents.sample;
import static dev.ddbwarden.WatcherEvents.DEPLOYER_ROLE;
import static dev.ddbwarden.WatcherEvents.call;
import static org.assertj.core.api.Assertions.assertThat;

/** The watcher's alert as people read it: subject line, body sections, and the attributes subscribers filter on. */
class TamperingComposerTest {
    private static final Watched WATCHED = new Watched("ddb-warden", "aws", "us-east-1", DEPLOYER_ROLE);

    @Test
    void compose_shouldSaySeverityWhatAndRegion_inTheSubject_andEverythingElseInTheBody() {
        // GIVEN someone stops the trail, naming it by its ARN
        ApiCall call = call(sample("watch-stop-logging.json"));
        Tampering tampering = Watcher.classify(call, WATCHED).orElseThrow();

        // WHEN
        Alert alert = TamperingComposer.compose(tampering, call);

        // THEN
        assertThat(alert.subject())
                .isEqualTo("[CRITICAL] ddb-warden watcher: trail management-events stopped logging (us-east-1)");
        assertThat(alert.body())
                .contains("ddb-warden watcher: trail management-events stopped logging.")
                .contains("Severity: CRITICAL")
                .contains("Resource: arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events")
                .contains("Actor: arn:aws:sts::123456789012:assumed-role/developer/mallory (AssumedRole of arn:aws:iam::123456789012:role/developer)")
                .contains("Source IP: 198.51.100.23")
                .contains("User agent: aws-cli/2.15.0")
                .contains("When: 2024-06-03T09:12:44Z")
                .contains("CloudTrail event ID: a7c3e1d2-5b64-4f0e-9d1a-3e2f4c5b6a71")
                .contains("How to check\n  aws cloudtrail get-trail-status --name management-events")
                .contains("How to undo\n  aws cloudtrail start-logging --name management-events")
                .contains("cannot be exempted")
                .doesNotContain("LOW:");
        assertThat(alert.attributes()).isEqualTo(Map.of("severity", "CRITICAL", "rule", "watcher",
                "account", "123456789012", "region", "us-east-1"));
    }

    @Test
    void compose_shouldWriteWhen_fromTheEnvelope_whenTheRecordsTimeIsUnreadable() {
        ObjectNode event = sample("watch-stop-logging.json");
        ((ObjectNode) event.get("detail")).put("eventTime", "");
        event.put("time", "2024-06-03T09:12:47+00:00");
        ApiCall call = call(event);

        Alert alert = TamperingComposer.compose(Watcher.classify(call, WATCHED).orElseThrow(), call);

        assertThat(alert.body()).contains("  When: 2024-06-03T09:12:47Z\n");
    }

    @Test
    void compose_shouldExplainLow_whenTheDeploymentRoleMadeTheCall() {
        ApiCall call = call(sample("watch-deployer-update-function-code.json"));

        Alert alert = TamperingComposer.compose(Watcher.classify(call, WATCHED).orElseThrow(), call);

        assertThat(alert.subject()).isEqualTo("[LOW] ddb-warden watcher: function ddb-warden-public-access code replaced (us-east-1)");
        assertThat(alert.body()).contains("deployment role (DeploymentRoleArn)").contains(DEPLOYER_ROLE);
        assertThat(alert.attributes()).containsEntry("severity", "LOW");
    }

    @Test
    void subject_shouldCutTheNameInTheMiddle_keepingWhatHappened() {
        // GIVEN a what too long for the line only because of the resource's name
        Tampering tampering = new Tampering(Severity.CRITICAL, "fn",
                "function ddb-warden-deletion-protection event source mapping deleted", "why", "check", "undo");

        // WHEN
        String subject = TamperingComposer.subject(tampering, "us-east-1");

        // THEN
        assertThat(subject).hasSize(99)
                .isEqualTo("[CRITICAL] ddb-warden watcher: function ddb-ward...tection event source mapping deleted (us-east-1)");
    }

    @Test
    void subject_shouldStayUnder100AsciiCharacters_whateverTheName() {
        // GIVEN a hostile, long, non-ASCII trail name
        Tampering tampering = new Tampering(Severity.CRITICAL, "trail",
                "trail \u00fcber-" + "x".repeat(200) + "\n stopped logging", "why", "check", "undo");

        // WHEN
        String subject = TamperingComposer.subject(tampering, "ap-southeast-2");

        // THEN
        assertThat(subject).hasSizeLessThan(100).startsWith("[CRITICAL] ddb-warden watcher: trail ?ber-")
                .contains("...").endsWith(" stopped logging (ap-southeast-2)");
        assertThat(subject.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void subject_shouldCutTheEnd_whenNoNameIsLongEnoughToCut() {
        String subject = TamperingComposer.subject(new Tampering(Severity.CRITICAL, "x",
                "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j", "why", "check", "undo"), "us-east-1");

        assertThat(subject).hasSize(99).endsWith("... (us-east-1)");
    }
}
