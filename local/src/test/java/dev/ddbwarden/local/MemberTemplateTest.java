package dev.ddbwarden.local;

import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
            // Asked of AWS Organizations from the security account (a delegated administrator), never in a member.
            "SettingsOus", "OrganizationAccounts");
    private static Template template;
    private static Template member;

    @BeforeAll
    static void load() throws IOException {
        template = Project.template();
        member = Template.read(Project.ROOT.resolve("member.yaml"));
    }

    private static List<Map<String, Object>> functionStatements() {
        return Stream.concat(Rules.all().stream().map(Rule::function).map(f -> TemplateContractTest.roleOf(template, Rules.all().stream()
                        .filter(r -> r.function().equals(f)).findFirst().orElseThrow())), Stream.of("SweepRegionRole"))
                .distinct().flatMap(role -> template.roleStatements(role).stream())
                .filter(statement -> !HOME_ONLY.contains(String.valueOf(statement.get("Sid")))).toList();
    }

    private static Set<String> actions(List<Map<String, Object>> statements, String effect) {
        Set<String> actions = new TreeSet<>();
        statements.stream().filter(s -> effect.equals(s.get("Effect")))
                .forEach(s -> Template.list(s.get("Action")).forEach(a -> actions.add(String.valueOf(a))));
        return actions;
    }

    @Test
    void memberRole_shouldAllowExactlyTheMemberSideActionsOfTheFunctionRoles() {
        List<Map<String, Object>> memberRole = member.roleStatements("MemberRole");
        assertThat(actions(memberRole, "Allow")).isNotEmpty().isEqualTo(actions(functionStatements(), "Allow"));
        assertThat(actions(memberRole, "Deny")).isNotEmpty().isEqualTo(actions(functionStatements(), "Deny"));
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
