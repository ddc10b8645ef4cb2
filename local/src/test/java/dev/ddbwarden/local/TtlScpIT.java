package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.local.IamSimulator.Case;
import dev.ddbwarden.local.IamSimulator.Policies;
import dev.ddbwarden.local.IamSimulator.Request;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scp/deny-ttl-changes.json, rendered from scp/settings and decided by IAM's own evaluation (the IAM simulator, see
 * {@link IamSimulator}) with an identity policy that allows everything: only the security roles, the pipelines and
 * ddb-warden's ttl and sweep roles may change a table's Time to Live, in either direction (no condition key tells
 * turning TTL on from turning it off).
 */
class TtlScpIT {
    private static final String ACCOUNT = "123456789012";
    private static final String TABLE = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders";
    private static final Map<String, String> CALLERS = Map.of(
            "developer", "arn:aws:iam::" + ACCOUNT + ":role/developer",
            "another ddb-warden role", "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden/ddb-warden-PitrRole-A1B2C3D4",
            "security role", "arn:aws:iam::" + ACCOUNT + ":role/security/responder",
            "pipeline", "arn:aws:iam::" + ACCOUNT + ":role/pipeline/orders-deploy",
            "ttl role", "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden/ddb-warden-TtlRole-A1B2C3D4",
            "sweep role", "arn:aws:iam::" + ACCOUNT + ":role/ddb-warden/ddb-warden-SweepRegionRole-E5F6G7H8");

    @Test
    void updateTimeToLive_shouldBeDenied_toAllButTheApprovedRoles() throws Exception {
        JsonNode policy = RenderedScps.render(RenderedScps.SHIPPED_SETTINGS).values().stream()
                .filter(r -> r.file().startsWith("deny-ttl-changes")).findFirst().orElseThrow().policy();
        List<Case> cases = CALLERS.entrySet().stream().map(caller -> new Case(caller.getKey(),
                new Request(caller.getValue(), "dynamodb:UpdateTimeToLive", TABLE),
                new Policies(List.of(IamSimulator.ALLOW_ALL), List.of(policy), null))).toList();

        Map<String, String> decided = IamSimulator.decide(cases);

        assertThat(decided).containsEntry("developer", "ExplicitlyDenied")
                .containsEntry("another ddb-warden role", "ExplicitlyDenied")
                .containsEntry("security role", "Allowed").containsEntry("pipeline", "Allowed")
                .containsEntry("ttl role", "Allowed").containsEntry("sweep role", "Allowed");
    }
}
