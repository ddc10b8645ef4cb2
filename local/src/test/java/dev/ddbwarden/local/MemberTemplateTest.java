package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * member.yaml's remediation role holds exactly what the security account's functions do in a member account: the
 * actions of their roles' statements but those on the security account's own resources (settings, ledger, topic,
 * queues, logs, the sweep's invocations) and the Organizations policy reads, which the guardrails rule makes where
 * the Organization's policies are, not in members; its Deny statements too, so no fix through it does more.
 */
class MemberTemplateTest {
    /** Statements about the security account's own resources, or not about a member's. */
    private static final Set<String> HOME_ONLY = Set.of("Settings", "Ledger", "Alert", "AlertKey", "Chat", "Recheck", "Failure", "Logs",
            "InvokeSweep", "StartSweep", "EnabledRegions",
            // The grant to assume the member roles themselves (MemberRoleAssume).
            "MemberRole",
            // Asked of AWS Organizations from the security account (a delegated administrator), never in a member.
            "SettingsOus", "OrganizationAccounts");
    private static final String ROLE = "ddb-warden-remediator";
    private static final String REGION = "us-east-1";
    private static final String SECURITY_ACCOUNT = "123456789012";
    private static final String MEMBER_ACCOUNT = "222222222222";
    private static Template template;
    private static Template member;

    @BeforeAll
    static void load() throws IOException {
        template = Project.template();
        member = Template.read(Project.ROOT.resolve("member.yaml"));
    }

    /** The function roles' statements as CloudFormation deploys them with these parameters, managed policies included. */
    private static List<JsonNode> functionStatements(ResolvedTemplate home) {
        List<JsonNode> statements = new ArrayList<>();
        Stream.concat(Rules.all().stream().map(rule -> TemplateContractTest.roleOf(template, rule)), Stream.of("SweepRegionRole"))
                .distinct().forEach(role -> home.rolePolicy(role).path("Statement").forEach(statements::add));
        return statements.stream().filter(statement -> !HOME_ONLY.contains(statement.path("Sid").asText())).toList();
    }

    private static Set<String> actions(Iterable<JsonNode> statements, String effect) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : statements) {
            if (effect.equals(statement.path("Effect").asText())) {
                JsonNode action = statement.path("Action");
                (action.isArray() ? action : List.of(action)).forEach(a -> actions.add(a.asText()));
            }
        }
        return actions;
    }

    /**
     * Both rendered as CloudFormation deploys them, with the security stack's and the StackSet's SecurityHubFindings
     * alike: the member role holds the member-side actions of the function roles, and Security Hub's import only while
     * findings are on, as the function roles do.
     */
    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void memberRole_shouldAllowExactlyTheMemberSideActionsOfTheFunctionRoles(String findings) {
        ResolvedTemplate home = new ResolvedTemplate(template, Map.of("MemberRoleName", ROLE, "SecurityHubFindings", findings,
                "ChatNotifications", "true"), REGION, SECURITY_ACCOUNT, TemplateValues.STACK_NAME);
        ResolvedTemplate there = new ResolvedTemplate(member, Map.of("SecurityAccountId", SECURITY_ACCOUNT, "SecurityStackName",
                TemplateValues.STACK_NAME, "MemberRoleName", ROLE, "SecurityHubFindings", findings), REGION, MEMBER_ACCOUNT, "ddb-warden-member");
        JsonNode memberRole = there.rolePolicy("MemberRole").path("Statement");

        assertThat(actions(memberRole, "Allow")).isNotEmpty().isEqualTo(actions(functionStatements(home), "Allow"));
        assertThat(actions(memberRole, "Deny")).isNotEmpty().isEqualTo(actions(functionStatements(home), "Deny"));
        assertThat(actions(memberRole, "Allow").contains("securityhub:BatchImportFindings")).isEqualTo(findings.equals("true"));
    }

    /** The StackSet's SecurityHubFindings is the security stack's: same name, same values, same default (off). */
    @Test
    void securityHubFindings_shouldBeTheSameParameterInBothTemplates() {
        Map<String, Object> there = Template.map(member.parameters().get("SecurityHubFindings"));
        Map<String, Object> home = Template.map(template.parameters().get("SecurityHubFindings"));
        assertThat(there.get("Default")).isEqualTo("false").isEqualTo(home.get("Default"));
        assertThat(there.get("AllowedValues")).isEqualTo(home.get("AllowedValues"));
    }

    @Test
    void memberRole_shouldBeUnderTheDdbWardenPath_namedAsTheSecurityStacksMemberRoleName() {
        Map<String, Object> properties = Template.map(member.resource("MemberRole").get("Properties"));
        assertThat(properties.get("Path")).isEqualTo("/ddb-warden/");
        assertThat(properties.get("RoleName")).isEqualTo(Map.of("Ref", "MemberRoleName"));
        assertThat(String.valueOf(Template.map(member.parameters().get("MemberRoleName")).get("Default")))
                .isEqualTo("ddb-warden-remediator");
    }

    /** The security stack's grant names the same path and name the member role has. */
    @Test
    void functionRoles_shouldBeGrantedTheMemberRoleAlone() {
        Map<String, Object> properties = Template.map(template.resource("MemberRoleAssume").get("Properties"));
        String policy = String.valueOf(properties.get("PolicyDocument"));
        assertThat(policy).contains("sts:AssumeRole").contains(":role/ddb-warden/${MemberRoleName}");
        assertThat(Template.list(properties.get("Roles"))).hasSize(Rules.all().size() + 1);
    }

    /**
     * The shipped SCP, attached to the member OUs, keeps every role under /ddb-warden/ (the member role and the
     * forwarders' roles, which the home bus policy admits by that path) to the deployer and the StackSets: nobody
     * else in a member may create one there, change its trust or its policies.
     */
    @Test
    void shippedScp_shouldProtectTheMemberAndForwarderRoles_byTheirPath() throws IOException {
        Map<String, Object> scp = Template.map(new com.fasterxml.jackson.databind.ObjectMapper().readValue(Project.ROOT.resolve("scp/protect-ddb-warden.json").toFile(), Map.class));
        Map<String, Object> protect = Template.list(scp.get("Statement")).stream().map(Template::map)
                .filter(s -> "DenyChangesToDdbWardenResources".equals(s.get("Sid"))).findFirst().orElseThrow();
        assertThat(Template.list(protect.get("Resource"))).contains("arn:aws:iam::*:role/ddb-warden/*");
        assertThat(Template.list(protect.get("Action"))).contains("iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy",
                "iam:AttachRolePolicy", "iam:DeleteRole", "iam:UpdateRole");
        assertThat(Template.map(member.resource("MemberRole").get("Properties")).get("Path")).isEqualTo("/ddb-warden/");
        assertThat(String.valueOf(Template.map(template.resource("MemberForwarders").get("Properties")).get("Statement")))
                .contains(":role/ddb-warden/*").contains("aws:PrincipalOrgID");
    }
}
