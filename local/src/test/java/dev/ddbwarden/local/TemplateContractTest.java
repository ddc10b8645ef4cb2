package dev.ddbwarden.local;

import dev.ddbwarden.check.Check;
import dev.ddbwarden.check.Checks;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.handler.Grants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Keeps every registered rule honest against template.yaml: its function exists and runs its handler,
 * its role sits under /ddb-warden/ and grants exactly the actions the code declares (the rule's table
 * actions plus the shared pipeline's), never a wildcard, and its environment names every setting.
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
            for (Map<String, Object> statement : template.roleStatements(roleOf(template, check))) {
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                List<Object> actions = Template.list(statement.get("Action"));
                actions.forEach(a -> assertThat(String.valueOf(a)).as("no wildcard actions").doesNotContain("*"));
                actions.forEach(a -> granted.add(String.valueOf(a)));
                if (String.valueOf(statement.get("Resource")).contains(":table/*")) {
                    actions.forEach(a -> tableScoped.add(String.valueOf(a)));
                }
            }
            Set<String> declared = new HashSet<>(check.tableActions());
            declared.addAll(Grants.LEDGER);
            declared.addAll(Grants.ALERT);
            declared.addAll(Grants.QUEUES);
            declared.addAll(Grants.LOGS);
            if (check.decidesOnActor()) {
                declared.addAll(Grants.CONFIRM_ACTOR);
            }
            assertThat(granted).as("actions granted to %s", check.function()).isEqualTo(declared);
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

    @Test
    void everyFunction_shouldBeGivenEverySetting() throws Exception {
        for (Check check : Checks.all()) {
            FunctionSpec function = template.function(check.function()).orElseThrow();
            for (Field field : EnvVar.class.getFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    assertThat(function.environment()).as(check.function()).containsKey((String) field.get(null));
                }
            }
        }
    }

    static String roleOf(Template template, Check check) {
        Object role = Template.map(template.resource(check.function()).get("Properties")).get("Role");
        List<Object> getAtt = Template.list(Template.map(role).get("Fn::GetAtt"));
        return String.valueOf(getAtt.get(0));
    }
}
