package dev.ddbwarden.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values fed through template.yaml's own AllowedPatterns, as CloudFormation applies them at deploy: to the whole
 * value of a String, and to each entry of a CommaDelimitedList ("When applied to a parameter of type
 * CommaDelimitedList, the pattern must match each value in the list": AWS CloudFormation User Guide, Parameters
 * section syntax, parameters-section-structure.html). Whether CloudFormation trims spaces around the entries is
 * not documented, so the patterns accept them and the functions trim (Settings).
 */
class ParameterPatternsTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/security/incident-responder";
    private static Map<String, Object> parameters;

    @BeforeAll
    static void load() throws Exception {
        parameters = Project.template().parameters();
    }

    @ParameterizedTest(name = "{0} = \"{1}\" -> accepted={2}")
    @CsvSource(delimiter = '|', value = {
            "AllowedRegions|us-east-1|true",
            "AllowedRegions|us-east-1,eu-west-1|true",
            "AllowedRegions|us-east-1, eu-west-1|true",
            "AllowedRegions|us-gov-west-1,ap-southeast-3|true",
            "AllowedRegions|''|false",
            "AllowedRegions|us-east-1,|false",
            "AllowedRegions|US-EAST-1|false",
            "AllowedRegions|us-east|false",
            "AllowedRegions|*|false",
            "AllowedRegions|us-east-1;eu-west-1|false",
            "TrustedAccounts|''|true",
            "TrustedAccounts|123456789012|true",
            "TrustedAccounts|123456789012,210987654321|true",
            "TrustedAccounts|12345678901|false",
            "TrustedAccounts|1234567890123|false",
            "TrustedAccounts|*|false",
            "TrustedAccounts|arn:aws:iam::123456789012:root|false",
            "TrustedOrgIds|''|true",
            "TrustedOrgIds|o-a1b2c3d4e5|true",
            "TrustedOrgIds|o-a1b2c3d4e5,o-zzzzzzzzzzzzzzzzzzzz|true",
            "TrustedOrgIds|o-a1b2|false",
            "TrustedOrgIds|O-A1B2C3D4E5|false",
            "TrustedOrgIds|r-a1b2|false",
            "TrustedOrgIds|o-*|false",
            "ApprovedPrincipals|''|true",
            "ApprovedPrincipals|" + ROLE + "|true",
            "ApprovedPrincipals|arn:aws:iam::123456789012:role/decommissioner," + ROLE + "|true",
            "ApprovedPrincipals|arn:aws-us-gov:iam::123456789012:role/a.b@c=d|true",
            "ApprovedPrincipals|arn:aws:iam::123456789012:user/alice|false",
            "ApprovedPrincipals|arn:aws:sts::123456789012:assumed-role/decommissioner/alice|false",
            "ApprovedPrincipals|arn:aws:iam::123456789012:role/*|false",
            "ApprovedPrincipals|arn:aws:iam::*:role/decommissioner|false",
            "ApprovedPrincipals|decommissioner|false",
            "QuarantineExemptPrincipals|''|true",
            "QuarantineExemptPrincipals|" + ROLE + "|true",
            "QuarantineExemptPrincipals|" + ROLE + ", arn:aws:iam::123456789012:role/breakglass|true",
            "QuarantineExemptPrincipals|arn:aws:iam::123456789012:role/security/*|false",
            "QuarantineExemptPrincipals|arn:aws:iam::123456789012:root|false",
            "QuarantineExemptPrincipals|*|false",
            "ExemptTables|scratch-*,tmp?|true",
            "ExemptTables|orders table|false",
            "SweepRegions|''|true",
            "SweepRegions|eu-west-1,us-east-1|true",
            "SweepRegions|all|false",
            "DeploymentRoleArn|''|true",
            "DeploymentRoleArn|arn:aws:iam::123456789012:role/ddb-warden-deployer|true",
            "DeploymentRoleArn|arn:aws:iam::123456789012:user/deployer|false",
            "RuleModes|''|true",
            "RuleModes|public-access=remediate,region-guard=notify|true",
            "RuleModes|point-in-time-recovery=off, deletion-protection = notify|true",
            "RuleModes|public-access=disabled|false",
            "RuleModes|public-access=OFF|false",
            "RuleModes|public-access|false",
            "RuleModes|public-access=notify;region-guard=off|false",
            "RuleModes|public-access=notify,|false",
            "RequiredTags|''|true",
            "RequiredTags|owner|true",
            "RequiredTags|'owner, env = prod|staging ,cost-center'|true",
            "RequiredTags|team:name/x+y_z.v-1=a:b/c|true",
            "RequiredTags|owner,|false",
            "RequiredTags|env=|false",
            "RequiredTags|own er|false",
            "RequiredTags|owner;env|false",
            "RequiredTags|owner@x|false",
            "SettingsOverrides|''|true",
            "SettingsOverrides|[111122223333] ALLOWED_REGIONS=eu-west-1; RULE_MODES=ttl=off [ou-ab12-cdefgh34] REMEDIATION_MODE=notify|true",
            "SettingsOverrides|ALLOWED_REGIONS=eu-west-1|false",
            "SettingsOverrides|x [111122223333] EXEMPT_TABLES=a|false"})
    void parameter_shouldAcceptOnlyWellFormedValues_asCloudFormationAppliesItsPattern(String parameter, String value,
                                                                                    boolean accepted) {
        // GIVEN
        Map<String, Object> spec = Template.map(parameters.get(parameter));
        Pattern pattern = Pattern.compile(String.valueOf(spec.get("AllowedPattern")));

        // WHEN
        List<String> entries = "CommaDelimitedList".equals(spec.get("Type"))
                ? Arrays.asList(value.split(",", -1))
                : List.of(value);

        // THEN
        assertThat(entries.stream().allMatch(entry -> pattern.matcher(entry).matches()))
                .as(parameter + " = \"" + value + "\" against " + pattern).isEqualTo(accepted);
    }

    /** RequiredTags' pattern is the tags rule's own: a value CloudFormation accepts, the function parses, and the reverse. */
    @Test
    void requiredTags_shouldBeTheExpressionTheTagsRuleParsesWith() {
        Map<String, Object> spec = Template.map(parameters.get("RequiredTags"));
        Pattern pattern = Pattern.compile(String.valueOf(spec.get("AllowedPattern")));

        for (String value : List.of("", "owner", "owner, env = prod|staging ,cost-center", "owner,", "env=", "a b", "x@y")) {
            boolean parses;
            try {
                dev.ddbwarden.rules.tags.TagsRule.REQUIRED_TAGS.parse().apply(value);
                parses = true;
            } catch (dev.ddbwarden.config.ConfigException e) {
                parses = false;
            }
            assertThat(parses).as("\"" + value + "\"").isEqualTo(pattern.matcher(value).matches());
        }
    }

    @Test
    void everyFreeTextParameter_shouldHaveAPatternAndSayWhatItWants() {
        parameters.forEach((name, body) -> {
            Map<String, Object> spec = Template.map(body);
            boolean freeText = ("String".equals(spec.get("Type")) || "CommaDelimitedList".equals(spec.get("Type")))
                    && !spec.containsKey("AllowedValues");
            // SweepSchedule: EventBridge Scheduler itself refuses a malformed expression at deploy.
            if (freeText && !name.equals("SweepSchedule")) {
                assertThat(spec).as(name).containsKeys("AllowedPattern", "ConstraintDescription");
                Pattern pattern = Pattern.compile(String.valueOf(spec.get("AllowedPattern")));
                String defaults = String.valueOf(spec.get("Default"));
                for (String entry : "CommaDelimitedList".equals(spec.get("Type"))
                        ? defaults.split(",", -1) : new String[] {defaults}) {
                    assertThat(pattern.matcher(entry).matches()).as(name + "'s default \"" + entry + "\"").isTrue();
                }
            }
        });
    }
}
