package dev.ddbwarden.local;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.handler.Grants;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import dev.ddbwarden.state.RegionalDynamo;

import java.time.Clock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The sweep's state machine (statemachine/sweep.asl.json, the template's DefinitionUri), held for shape (moto cannot
 * run Lambda tasks without Docker): it starts the sweep, which names the accounts, takes the configured regions or the
 * account's enabled ones, runs each account as a child execution of a Distributed Map with a concurrency cap and a
 * tolerated failure percentage, walks each region of it page by page with bounded concurrency and retries on
 * throttling, counts a region whose retries are spent (so the summary names the account) and finishes with the
 * summary. The sweep function's role grants every rule's reads and fixes and nothing more.
 */
class SweepTemplateTest {
    private static Template template;
    private static Map<String, Object> states;

    @BeforeAll
    static void load() throws Exception {
        template = Project.template();
        Object uri = Template.map(template.resource("SweepStateMachine").get("Properties")).get("DefinitionUri");
        assertThat(uri).isEqualTo("statemachine/sweep.asl.json");
        Map<String, Object> definition = new ObjectMapper().readValue(Project.ROOT.resolve(String.valueOf(uri)).toFile(),
                new TypeReference<Map<String, Object>>() { });
        assertThat(definition.get("StartAt")).isEqualTo("Start");
        states = Template.map(definition.get("States"));
    }

    @Test
    void sweep_shouldStart_thenFindRegions_thenMapThem_thenFinish() {
        assertThat(Template.map(states.get("Start")).get("Next")).isEqualTo("Configured");
        Map<String, Object> choice = Template.map(states.get("HasConfiguredRegions"));
        assertThat(Template.map(Template.list(choice.get("Choices")).get(0)).get("Next")).isEqualTo("DescribeRegions");
        assertThat(choice.get("Default")).isEqualTo("SplitRegions");
        assertThat(Template.map(states.get("DescribeRegions")).get("Resource"))
                .isEqualTo("arn:aws:states:::aws-sdk:ec2:describeRegions");
        assertThat(Template.map(states.get("DescribeRegions")).get("Next")).isEqualTo("Accounts");
        assertThat(Template.map(states.get("SplitRegions")).get("Next")).isEqualTo("Accounts");
        Map<String, Object> accounts = Template.map(states.get("Accounts"));
        assertThat(accounts.get("Type")).isEqualTo("Map");
        assertThat(accounts.get("ItemsPath")).isEqualTo("$.sweep.accounts");
        assertThat(Template.map(Template.map(accounts.get("ItemProcessor")).get("ProcessorConfig")))
                .containsEntry("Mode", "DISTRIBUTED").containsEntry("ExecutionType", "STANDARD");
        // a cap on accounts at once, and one account's failure (a child execution) does not fail the sweep
        assertThat((Integer) accounts.get("MaxConcurrency")).isBetween(1, 100);
        assertThat((Integer) accounts.get("ToleratedFailurePercentage")).isBetween(1, 50);
        assertThat(Template.map(accounts.get("ItemSelector"))).containsEntry("account.$", "$$.Map.Item.Value")
                .containsEntry("regions.$", "$.regions.names").containsEntry("configured.$", "$.configured.value");
        assertThat(accounts.get("Next")).isEqualTo("Finish");
        Map<String, Object> map = regions();
        assertThat(map.get("Type")).isEqualTo("Map");
        assertThat((Integer) map.get("MaxConcurrency")).isBetween(1, 10);
        assertThat(Template.map(map.get("ItemSelector"))).containsEntry("account.$", "$.account");
        assertThat(Template.map(states.get("Finish")).get("End")).isEqualTo(true);
        assertThat(payloadAction(states.get("Start"))).isEqualTo("start");
        assertThat(payloadAction(states.get("Finish"))).isEqualTo("finish");
    }

    @Test
    void eachRegion_shouldLoopOverPages_oneInvocationEach_andNotFailTheSweep() {
        Map<String, Object> processor = Template.map(regions().get("ItemProcessor"));
        Map<String, Object> inner = Template.map(processor.get("States"));
        Map<String, Object> page = Template.map(inner.get("Page"));
        assertThat(payloadAction(page)).isEqualTo("page");
        assertThat(page.get("Next")).isEqualTo("MorePages");
        Map<String, Object> more = Template.map(inner.get("MorePages"));
        Map<String, Object> loop = Template.map(Template.list(more.get("Choices")).get(0));
        assertThat(loop).containsEntry("Variable", "$.done").containsEntry("BooleanEquals", false).containsEntry("Next", "Page");
        List<Object> retriedErrors = Template.list(Template.map(Template.list(page.get("Retry")).get(0)).get("ErrorEquals"));
        assertThat(retriedErrors).contains("Lambda.TooManyRequestsException");
        assertThat(Template.map(Template.list(page.get("Catch")).get(0)).get("Next")).isEqualTo("RegionFailed");
        assertThat(Template.map(Template.map(page.get("Parameters")).get("Payload"))).containsEntry("account.$", "$.account");
        // a region whose retries are spent is counted for the summary, naming its account
        Map<String, Object> failed = Template.map(inner.get("RegionFailed"));
        assertThat(payloadAction(failed)).isEqualTo("failed");
        assertThat(Template.map(Template.map(failed.get("Parameters")).get("Payload")))
                .containsEntry("account.$", "$.account").containsEntry("error.$", "$.error");
        assertThat(failed.get("End")).isEqualTo(true);
    }

    /**
     * Each account's child execution first narrows the sweep's regions to those enabled in that account (asked with
     * its own credentials by the sweep function), and walks the sweep's list unchanged when that task fails.
     */
    @Test
    void eachAccount_shouldWalkTheRegionsEnabledInIt_elseTheSweepsRegions() {
        Map<String, Object> processor = Template.map(Template.map(states.get("Accounts")).get("ItemProcessor"));
        assertThat(processor.get("StartAt")).isEqualTo("AccountRegions");
        Map<String, Object> inner = Template.map(processor.get("States"));
        Map<String, Object> ask = Template.map(inner.get("AccountRegions"));
        assertThat(payloadAction(ask)).isEqualTo("regions");
        assertThat(Template.map(Template.map(ask.get("Parameters")).get("Payload"))).containsEntry("account.$", "$.account")
                .containsEntry("regions.$", "$.regions").containsEntry("configured.$", "$.configured");
        assertThat(ask).containsEntry("ResultSelector", Map.of("names.$", "$.Payload.regions")).containsEntry("ResultPath", "$.walk")
                .containsEntry("Next", "Regions");
        Map<String, Object> caught = Template.map(Template.list(ask.get("Catch")).get(0));
        assertThat(Template.list(caught.get("ErrorEquals"))).containsExactly("States.ALL");
        Map<String, Object> fallback = Template.map(inner.get(String.valueOf(caught.get("Next"))));
        assertThat(fallback).containsEntry("Type", "Pass").containsEntry("Parameters", Map.of("names.$", "$.regions"))
                .containsEntry("ResultPath", "$.walk").containsEntry("Next", "Regions");
        assertThat(regions().get("ItemsPath")).isEqualTo("$.walk.names");
    }

    /** The Distributed Map runs each account as a child execution of the sweep's own state machine, and only that. */
    @Test
    void stateMachineRole_shouldStartOnlyItsOwnChildExecutions() {
        List<Map<String, Object>> statements = template.roleStatements("SweepStateMachineRole");
        Map<String, Object> start = statements.stream()
                .filter(statement -> Template.list(statement.get("Action")).contains("states:StartExecution")).findFirst().orElseThrow();
        assertThat(String.valueOf(Template.list(start.get("Resource")))).contains(":stateMachine:${AWS::StackName}-sweep");
        Map<String, Object> children = statements.stream()
                .filter(statement -> Template.list(statement.get("Action")).contains("states:DescribeExecution")).findFirst().orElseThrow();
        assertThat(Template.list(children.get("Action"))).containsExactlyInAnyOrder("states:DescribeExecution", "states:StopExecution");
        assertThat(String.valueOf(Template.list(children.get("Resource")))).contains(":execution:${AWS::StackName}-sweep/*");
        assertThat(Template.map(Template.map(template.resource("SweepStateMachine").get("Properties")).get("Name")))
                .isEqualTo(Map.of("Fn::Sub", "${AWS::StackName}-sweep"));
    }

    private static Map<String, Object> regions() {
        Map<String, Object> processor = Template.map(Template.map(states.get("Accounts")).get("ItemProcessor"));
        return Template.map(Template.map(processor.get("States")).get("Regions"));
    }

    @Test
    void sweep_shouldRunOnASchedule_fromTheParameter() {
        Map<String, Object> events = Template.map(Template.map(template.resource("SweepStateMachine").get("Properties")).get("Events"));
        Map<String, Object> schedule = Template.map(events.get("Schedule"));
        assertThat(schedule.get("Type")).isEqualTo("ScheduleV2");
        assertThat(Template.map(schedule.get("Properties")).get("ScheduleExpression")).isEqualTo(Map.of("Ref", "SweepSchedule"));
        assertThat(Template.map(template.parameters().get("SweepSchedule")).get("Default")).isEqualTo("rate(6 hours)");
    }

    @Test
    void sweepRole_shouldGrantEveryRulesTableActions_andNothingMore() {
        Set<String> granted = new HashSet<>();
        for (Map<String, Object> statement : template.roleStatements("SweepRegionRole")) {
            Template.list(statement.get("Action")).forEach(a -> granted.add(String.valueOf(a)));
        }
        // the sweep's own calls: its tables, the Organization's accounts when SweepAccounts is empty, each account's regions
        Set<String> expected = new HashSet<>(Set.of("dynamodb:ListTables", "organizations:ListAccounts", "ec2:DescribeRegions"));
        for (Rule rule : Rules.all()) {
            expected.addAll(rule.tableActions());
            // beyond tables, what the sweep calls: the rule's augments' reads and its fixes (never its subject lookup)
            rule.augments().forEach(augment -> expected.addAll(augment.actions()));
            Fixes fixes = new Fixes(rule.fixes(new FixContext(RegionalDynamo.single(mock(DynamoDbClient.class)), hold -> { },
                    Clock.systemUTC())));
            // an alert-only rule (backups) declares Remedy.AlertOnly, a record: no remedy, no fix
            Class<?>[] remedies = rule.remedies().isSealed() ? rule.remedies().getPermittedSubclasses() : new Class<?>[0];
            for (Class<?> remedy : remedies) {
                expected.addAll(fixes.actionsFor(remedy.asSubclass(Remedy.class)));
            }
            expected.addAll(rule.sweepActions());
        }
        expected.addAll(Grants.SETTINGS);
        expected.addAll(Grants.ACCOUNT_SETTINGS);
        expected.addAll(Grants.LEDGER);
        expected.addAll(Grants.ALERT);
        expected.addAll(Grants.LOGS);
        assertThat(granted).isEqualTo(expected);
        assertThat(TemplateContractTest.optIn(template, "SweepRegionRole", "HasFindings")).isEqualTo(Grants.FINDINGS);
        assertThat(Template.map(template.resource("SweepRegionRole").get("Properties")).get("Path")).isEqualTo("/ddb-warden/");
    }

    /**
     * Every Lambda task invokes the `live` alias, the version SnapStart restores primed, as every event source
     * does; $LATEST would run an unprimed cold init per container. The state machine's role may invoke that
     * alias and nothing else.
     */
    @Test
    void sweep_shouldInvokeTheLiveAlias_andItsRoleOnlyThat() {
        Map<String, Object> properties = Template.map(template.resource("SweepStateMachine").get("Properties"));
        assertThat(Template.map(properties.get("DefinitionSubstitutions")).get("SweepFunctionArn"))
                .isEqualTo(Map.of("Ref", "SweepRegionFunction.Alias"));
        List<Map<String, Object>> tasks = lambdaTasks(states);
        assertThat(tasks).hasSize(5);
        assertThat(tasks).allSatisfy(task -> assertThat(Template.map(task.get("Parameters")).get("FunctionName"))
                .isEqualTo("${SweepFunctionArn}"));
        List<Map<String, Object>> invokes = template.roleStatements("SweepStateMachineRole").stream()
                .filter(statement -> Template.list(statement.get("Action")).contains("lambda:InvokeFunction"))
                .toList();
        assertThat(invokes).hasSize(1);
        assertThat(Template.list(invokes.get(0).get("Resource"))).containsExactly(Map.of("Ref", "SweepRegionFunction.Alias"));
    }

    /** The Task states that invoke Lambda, in the map's item processor too. */
    private static List<Map<String, Object>> lambdaTasks(Map<String, Object> states) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (Object each : states.values()) {
            Map<String, Object> state = Template.map(each);
            if ("arn:aws:states:::lambda:invoke".equals(state.get("Resource"))) {
                tasks.add(state);
            }
            tasks.addAll(lambdaTasks(Template.map(Template.map(state.get("ItemProcessor")).get("States"))));
        }
        return tasks;
    }

    private static Object payloadAction(Object state) {
        return Template.map(Template.map(Template.map(state).get("Parameters")).get("Payload")).get("action");
    }
}
