package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.RemediationMode;
import dev.ddbwarden.config.RuleMode;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.config.SweepSettings;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.pointintimerecovery.PointInTimeRecoveryRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml through SAM's own translator (samtranslator, shipped with cfn-lint) with two sets of
 * Parameters. SAM publishes a function's version (the one {@code live} points at) only when its hash of the
 * function changes, a hash that does not resolve Parameters (SAM issues 1640, 3820): so the Parameters must
 * reach no function's environment, and the settings parameter, which the functions read at run time, must
 * carry them. Both sets here give every function the same version, and that is right, because nothing a
 * version holds differs between them; what differs is the settings parameter's value.
 */
class SettingsReachLiveIT {
    /** Each rule's function, the watcher and the sweep's. */
    private static final int FUNCTIONS = Rules.all().size() + 2;
    private static final String APPROVED = "arn:aws:iam::123456789012:role/dba-decommission";
    /** One deployment's Parameters, then the next's: every setting changed. */
    private static final Map<String, String> NOTIFY = Map.of(
            "RemediationMode", "notify",
            "RuleModes", "public-access=off,region-guard=notify",
            "ExemptTables", "scratch-*,tmp-*",
            "AllowedRegions", "us-east-1,eu-west-1",
            "ApprovedPrincipals", APPROVED,
            "TrustedAccounts", "444455556666",
            "SweepReportOnly", "true",
            "FixLimitPerHour", "9",
            "MinPitrDays", "7",
            "PitrOnNewTables", "remediate");
    private static final Map<String, String> REMEDIATE = Map.of(
            "RemediationMode", "remediate",
            "AllowedRegions", "us-east-1");

    private static Deployment notify;
    private static Deployment remediate;

    /**
     * What one deployment gives: each function's published version and environment as SAM's translator wrote
     * them, and the settings parameter as CloudFormation would write it.
     */
    record Deployment(Map<String, String> versions, Map<String, JsonNode> environments, SettingsParameter settings) {
    }

    @BeforeAll
    static void transform() throws Exception {
        notify = deploy(NOTIFY);
        remediate = deploy(REMEDIATE);
    }

    static Deployment deploy(Map<String, String> parameters) throws Exception {
        Map<String, String> versions = new TreeMap<>();
        Map<String, JsonNode> environments = new TreeMap<>();
        SamTranslation.translate(parameters).path("Resources").fields().forEachRemaining(resource -> {
            JsonNode body = resource.getValue();
            String type = body.path("Type").asText();
            if (type.equals("AWS::Lambda::Version")) {
                versions.put(body.at("/Properties/FunctionName/Ref").asText(), resource.getKey());
            } else if (type.equals("AWS::Lambda::Function")) {
                environments.put(resource.getKey(), body.at("/Properties/Environment/Variables"));
            }
        });
        Template template = Project.template();
        SettingsParameter settings = SettingsParameter.of(template, new TemplateValues(template.parameters(), parameters,
                LocalAws.REGION, LocalAws.ACCOUNT)).orElseThrow();
        return new Deployment(versions, environments, settings);
    }

    @Test
    void noFunctionsEnvironment_shouldReadATemplateParameter() throws IOException {
        Set<String> parameters = Project.template().parameters().keySet();
        for (Deployment deployment : List.of(notify, remediate)) {
            assertThat(deployment.environments()).hasSize(FUNCTIONS);
            deployment.environments().forEach((function, environment) -> {
                List<String> reading = new ArrayList<>();
                environment.fields().forEachRemaining(variable -> {
                    if (readsParameter(variable.getValue(), parameters)) {
                        reading.add(variable.getKey());
                    }
                });
                assertThat(reading).as("variables of %s that a template Parameter sets: SAM's version hash does not"
                        + " see them change, so live would keep the old value", function).isEmpty();
            });
        }
    }

    @Test
    void versions_shouldStayTheSame_becauseEverythingAVersionHoldsIsTheSame() {
        assertThat(notify.environments()).isEqualTo(remediate.environments());
        assertThat(notify.versions()).hasSize(FUNCTIONS).isEqualTo(remediate.versions())
                .allSatisfy((function, version) -> assertThat(version).startsWith(function + "Version"));
    }

    @Test
    void settingsParameter_shouldCarryEachDeploysParameters_asTheFunctionsValidateThem() {
        // GIVEN the settings parameter's value as CloudFormation would write it for each deployment
        assertThat(notify.settings().name()).isEqualTo("/ddb-warden/ddb-warden/settings");
        Map<String, String> first = notify.settings().settings();
        Map<String, String> second = remediate.settings().settings();

        // WHEN the functions' own validation reads each
        Settings before = Settings.from(first::get, Rules.settingNames());
        Settings after = Settings.from(second::get, Rules.settingNames());

        // THEN the value differs, and each reading is what its deployment asked for
        assertThat(first).isNotEqualTo(second);
        assertThat(before.mode()).isEqualTo(RemediationMode.NOTIFY);
        assertThat(before.isExempt("scratch-1")).isTrue();
        assertThat(before.allowedRegions()).containsExactly("us-east-1", "eu-west-1");
        assertThat(before.approvedPrincipals()).containsExactly(APPROVED);
        assertThat(before.trustedAccounts()).containsExactly("444455556666");
        assertThat(before.fixLimitPerHour()).isEqualTo(9);
        assertThat(before.modeOf("public-access").mode()).isEqualTo(RuleMode.OFF);
        assertThat(before.modeOf("region-guard").describe()).contains("RULE_MODES: region-guard=notify");
        assertThat(PointInTimeRecoveryRule.MIN_PITR_DAYS.in(before)).isEqualTo(7);
        assertThat(PointInTimeRecoveryRule.PITR_ON_NEW_TABLES.in(before)).isEqualTo("remediate");
        assertThat(SweepSettings.from(first::get).reportOnly()).isTrue();
        assertThat(after.mode()).isEqualTo(RemediationMode.REMEDIATE);
        assertThat(after.isExempt("scratch-1")).isFalse();
        assertThat(after.allowedRegions()).containsExactly("us-east-1");
        assertThat(after.modeOf("public-access").mode()).isEqualTo(RuleMode.REMEDIATE);
        assertThat(PointInTimeRecoveryRule.MIN_PITR_DAYS.in(after)).isEqualTo(1);
        assertThat(PointInTimeRecoveryRule.PITR_ON_NEW_TABLES.in(after)).isEqualTo("notify");
        assertThat(SweepSettings.from(second::get).reportOnly()).isFalse();
    }

    /** Whether a template value refers to a Parameter: a Ref to it, or ${Name} in a Sub. */
    static boolean readsParameter(JsonNode value, Set<String> parameters) {
        if (value.isObject()) {
            if (value.has("Ref") && parameters.contains(value.get("Ref").asText())) {
                return true;
            }
            JsonNode sub = value.get("Fn::Sub");
            if (sub != null) {
                String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
                if (parameters.stream().anyMatch(p -> text.contains("${" + p + "}"))) {
                    return true;
                }
            }
        }
        for (JsonNode child : value) {
            if (readsParameter(child, parameters)) {
                return true;
            }
        }
        return false;
    }
}
