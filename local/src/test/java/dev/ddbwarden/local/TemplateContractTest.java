package dev.ddbwarden.local;

import dev.ddbwarden.check.Check;
import dev.ddbwarden.check.Checks;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.handler.Grants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Keeps every registered rule honest against template.yaml: its function exists and runs its handler,
 * its role sits under /ddb-warden/ and grants exactly the actions the code declares (the rule's table
 * actions plus the shared pipeline's), never a wildcard, a Deny only taking back part of a grant, and its
 * environment names every setting. TemplateIamContractIT evaluates the same policies in an IAM simulator.
 */
class TemplateContractTest {
    private static Template template;

    @BeforeAll
    static void load() throws Exception {
        template = Project.template();
    }

    @Test
    void everyCheck_shouldHaveItsFunction_withItsOwnRoleUnderTheWardenPath() {
        for (Check check : Checks.all()) {
            Map<String, Object> properties = Template.map(template.resource(check.function()).get("Properties"));
            assertThat(properties).as(check.function()).isNotEmpty();
            assertThat(properties.get("CodeUri")).isEqualTo("functions/warden");
            String roleId = roleOf(template, check);
            assertThat(Template.map(template.resource(roleId).get("Properties")).get("Path")).isEqualTo("/ddb-warden/");
        }
    }

    @Test
    void everyRole_shouldGrantExactlyWhatItsCodeDeclares() {
        for (Check check : Checks.all()) {
            Set<String> granted = new HashSet<>();
            Set<String> tableScoped = new HashSet<>();
            Set<String> narrowed = new HashSet<>();
            for (Map<String, Object> statement : template.roleStatements(roleOf(template, check))) {
                assertThat(statement.get("Effect")).isIn("Allow", "Deny");
                List<Object> actions = Template.list(statement.get("Action"));
                if ("Deny".equals(statement.get("Effect"))) {
                    actions.forEach(a -> narrowed.add(String.valueOf(a)));
                    continue;
                }
                actions.forEach(a -> assertThat(String.valueOf(a)).as("no wildcard actions").doesNotContain("*"));
                actions.forEach(a -> granted.add(String.valueOf(a)));
                if (String.valueOf(statement.get("Resource")).contains(":table/*")) {
                    actions.forEach(a -> tableScoped.add(String.valueOf(a)));
                }
            }
            Set<String> declared = new HashSet<>(check.tableActions());
            declared.addAll(Grants.SETTINGS);
            declared.addAll(Grants.LEDGER);
            declared.addAll(Grants.ALERT);
            declared.addAll(Grants.QUEUES);
            declared.addAll(Grants.LOGS);
            if (check.decidesOnActor()) {
                declared.addAll(Grants.CONFIRM_ACTOR);
            }
            assertThat(granted).as("actions granted to %s", check.function()).isEqualTo(declared);
            assertThat(granted).as("a Deny only narrows what %s grants", check.function()).containsAll(narrowed);
            assertThat(tableScoped).as("actions on every table for %s", check.function())
                    .isEqualTo(check.tableActions());
        }
    }

    @Test
    void everyRemedy_shouldNeedOnlyActionsItsRuleDeclares() {
        Fixes fixes = new Fixes(mock(DynamoDbClient.class));
        Set<String> fixActions = new HashSet<>();
        for (Class<?> remedy : Remedy.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            Class<? extends Remedy> type = (Class<? extends Remedy>) remedy;
            fixActions.addAll(fixes.actionsFor(type));
        }
        Set<String> allTableActions = new HashSet<>();
        Checks.all().forEach(c -> allTableActions.addAll(c.tableActions()));
        assertThat(allTableActions).containsAll(fixActions);
    }

    static String roleOf(Template template, Check check) {
        Object role = Template.map(template.resource(check.function()).get("Properties")).get("Role");
        List<Object> getAtt = Template.list(Template.map(role).get("Fn::GetAtt"));
        return String.valueOf(getAtt.get(0));
    }
}
