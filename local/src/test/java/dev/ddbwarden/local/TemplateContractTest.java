package dev.ddbwarden.local;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.handler.Grants;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.state.RegionalDynamo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Keeps every registered rule honest against template.yaml: its function exists and runs its handler,
 * its role sits under /ddb-warden/ and grants exactly the actions the code declares (the rule's table
 * actions, its actions on other resources and the shared pipeline's), never a wildcard, a Deny only taking back part of a grant, and its
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
        for (Rule rule : Rules.all()) {
            Map<String, Object> properties = Template.map(template.resource(rule.function()).get("Properties"));
            assertThat(properties).as(rule.function()).isNotEmpty();
            assertThat(template.functionProperty(rule.function(), "CodeUri")).isEqualTo("functions/warden");
            assertThat(template.functionProperty(rule.function(), "Handler"))
                    .isEqualTo("dev.ddbwarden.handler.WardenHandler::handleRequest");
            String roleId = roleOf(template, rule);
            assertThat(Template.map(template.resource(roleId).get("Properties")).get("Path")).isEqualTo("/ddb-warden/");
        }
    }

    /** A function has a re-check queue, polls it and is told its URL exactly when its rule may wait (Rule.rechecks). */
    @Test
    void aRecheckQueue_shouldServeExactlyTheRulesThatWait() {
        for (Rule rule : Rules.all()) {
            Map<String, Object> properties = Template.map(template.resource(rule.function()).get("Properties"));
            Map<String, Object> variables = Template.map(Template.map(properties.get("Environment")).get("Variables"));
            boolean polls = Template.map(properties.get("Events")).values().stream()
                    .anyMatch(event -> "SQS".equals(Template.map(event).get("Type")));

            assertThat(variables.containsKey("RECHECK_QUEUE_URL")).as("%s is told a re-check queue", rule.function())
                    .isEqualTo(rule.rechecks());
            assertThat(polls).as("%s polls a re-check queue", rule.function()).isEqualTo(rule.rechecks());
        }
        String guarded = String.valueOf(Template.map(template.resource("WardenQueuesPolicy").get("Properties")).get("Queues"));
        for (Rule rule : Rules.all()) {
            String stem = rule.function().replaceFirst("Function$", "");
            if (!"DeletionProtection".equals(stem)) {  // its queue, RecheckQueue, predates the loop
                assertThat(template.resource(stem + "RecheckQueue").isEmpty()).as("%s has no re-check queue", stem)
                        .isNotEqualTo(rule.rechecks());
                assertThat(guarded.contains("Ref=" + stem + "RecheckQueue")).as("WardenQueuesPolicy guards %s's queue", stem)
                        .isEqualTo(rule.rechecks());
            }
        }
    }

    @Test
    void everyRole_shouldGrantExactlyWhatItsCodeDeclares() {
        for (Rule rule : Rules.all()) {
            Set<String> granted = new HashSet<>();
            Set<String> tableScoped = new HashSet<>();
            Set<String> keyScoped = new HashSet<>();
            Set<String> narrowed = new HashSet<>();
            for (Map<String, Object> statement : template.roleStatements(roleOf(template, rule))) {
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
                if (String.valueOf(statement.get("Resource")).contains(":key/*")) {
                    actions.forEach(a -> keyScoped.add(String.valueOf(a)));
                }
            }
            Set<String> declared = new HashSet<>(rule.tableActions());
            declared.addAll(rule.otherActions());
            declared.addAll(Grants.SETTINGS);
            declared.addAll(Grants.ACCOUNT_SETTINGS);
            declared.addAll(Grants.LEDGER);
            declared.addAll(Grants.ALERT);
            declared.addAll(Grants.queues(rule));
            declared.addAll(Grants.LOGS);
            if (rule.decidesOnActor()) {
                declared.addAll(Grants.CONFIRM_ACTOR);
            }
            assertThat(granted).as("actions granted to %s", rule.function()).isEqualTo(declared);
            assertThat(optIn(template, roleOf(template, rule), "HasFindings")).as("%s's Security Hub grant, only with SecurityHubFindings",
                    rule.function()).isEqualTo(Grants.FINDINGS);
            assertThat(granted).as("a Deny only narrows what %s grants", rule.function()).containsAll(narrowed);
            assertThat(tableScoped).as("actions on every table for %s", rule.function())
                    .isEqualTo(rule.tableActions());
            Set<String> onKeys = new HashSet<>();
            rule.otherActions().stream().filter(action -> action.startsWith("kms:")).forEach(onKeys::add);
            assertThat(keyScoped).as("actions on the account's keys for %s", rule.function()).isEqualTo(onKeys);
        }
    }

    /** The actions of the managed policies that name the role and exist only under the condition (an opt-in). */
    static Set<String> optIn(Template template, String role, String condition) {
        Set<String> actions = new HashSet<>();
        template.resources().values().stream().map(Template::map).filter(resource -> "AWS::IAM::ManagedPolicy".equals(resource.get("Type"))
                        && condition.equals(resource.get("Condition")))
                .map(resource -> Template.map(resource.get("Properties")))
                .filter(properties -> Template.list(properties.get("Roles")).contains(Map.of("Ref", role)))
                .flatMap(properties -> Template.list(Template.map(properties.get("PolicyDocument")).get("Statement")).stream())
                .forEach(statement -> Template.list(Template.map(statement).get("Action")).forEach(a -> actions.add(String.valueOf(a))));
        return actions;
    }

    @Test
    void everyRemedy_shouldNeedOnlyActionsItsRuleDeclares() {
        for (Rule rule : Rules.all()) {
            Fixes fixes = new Fixes(rule.fixes(new FixContext(RegionalDynamo.single(mock(DynamoDbClient.class)), hold -> { },
                    Clock.systemUTC())));
            if (rule.remedies() == Remedy.AlertOnly.class) {
                assertThat(fixes.remedies()).as("%s only alerts", rule.name()).isEmpty();
                continue;
            }
            Set<String> fixActions = new HashSet<>();
            for (Class<?> remedy : rule.remedies().getPermittedSubclasses()) {
                fixActions.addAll(fixes.actionsFor(remedy.asSubclass(Remedy.class)));
            }
            assertThat(fixActions).as(rule.name()).isNotEmpty();
            Set<String> declared = new HashSet<>(rule.tableActions());
            declared.addAll(rule.otherActions());
            assertThat(declared).as(rule.name()).containsAll(fixActions);
        }
    }

    static String roleOf(Template template, Rule rule) {
        Object role = Template.map(template.resource(rule.function()).get("Properties")).get("Role");
        List<Object> getAtt = Template.list(Template.map(role).get("Fn::GetAtt"));
        return String.valueOf(getAtt.get(0));
    }
}
