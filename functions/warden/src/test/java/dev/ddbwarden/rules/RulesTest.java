package dev.ddbwarden.rules;

import dev.ddbwarden.RuleFixes;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The registry keeps each rule closed: its remedies are a sealed set, each applied by one of its own fixes,
 * and everything its reads and fixes call is among the actions it declares (which the template tests hold
 * template.yaml to). A remedy added without its fix, or a fix calling an undeclared action, fails here.
 */
class RulesTest {
    private static final RegionalDynamo NO_CLIENT = (account, region) -> fail("no client is built while listing fixes");

    /**
     * A rule says what IAM actions its function needs in two sets, on tables and on everything else (the keys among
     * them), and in a third what the sweep's role needs to look at its other resources (a DAX cluster's).
     */
    @Test
    void aRulesActions_shouldBeDeclaredByTwoMethods_tablesAndOthers() {
        assertThat(Arrays.stream(Rule.class.getMethods()).map(Method::getName).filter(name -> name.endsWith("Actions")))
                .containsExactlyInAnyOrder("tableActions", "otherActions", "sweepActions");
    }

    /**
     * A rule whose function has no re-check queue must never need one: the pipeline defers only to await a table,
     * for a state not visible yet that it may not decide on, for CloudTrail's confirmation of an actor, or for a fix.
     */
    @Test
    void aRuleWithoutRechecks_shouldOnlyAlert_decideOnNoActor_andAwaitNothing() {
        assertThat(Rules.all().stream().filter(rule -> !rule.rechecks()).map(Rule::name)).containsExactly("backups", "guardrails", "dax", "iam-users");
        for (Rule rule : Rules.all().stream().filter(rule -> !rule.rechecks()).toList()) {
            assertThat(rule.remedies()).as(rule.name()).isEqualTo(Remedy.AlertOnly.class);
            assertThat(rule.decidesOnActor()).as(rule.name()).isFalse();
            for (String waits : List.of("awaitsTable", "mayDecideOnStaleState", "isCurrent")) {
                assertThat(Arrays.stream(rule.getClass().getDeclaredMethods()).map(Method::getName))
                        .as("%s overrides %s", rule.name(), waits).doesNotContain(waits);
            }
        }
    }

    /**
     * A rule about resources other than tables takes the table answers from {@link ResourceRule} and states only its
     * own: its decision and the call augments it decides on.
     */
    @Test
    void aResourceRule_shouldDecideOnWhatItsCallAugmentsRead_andLeaveTheTableAnswersToTheSpine() {
        List<Rule> resourceRules = Rules.all().stream().filter(rule -> rule instanceof ResourceRule).toList();
        assertThat(resourceRules.stream().map(Rule::name)).containsExactly("guardrails", "dax", "iam-users");
        for (Rule rule : resourceRules) {
            assertThat(rule.callAugments()).as(rule.name()).isNotEmpty();
            assertThat(Arrays.stream(rule.getClass().getDeclaredMethods()).map(Method::getName))
                    .as("%s declares its own evaluate", rule.name()).doesNotContain("evaluate");
        }
    }

    @Test
    void everyRule_shouldHaveAUniqueNameAndFunction_andTriggers() {
        Set<String> names = new HashSet<>();
        Set<String> functions = new HashSet<>();
        for (Rule rule : Rules.all()) {
            assertThat(names.add(rule.name())).as("name %s is unique", rule.name()).isTrue();
            assertThat(functions.add(rule.function())).as("function %s runs one rule", rule.function()).isTrue();
            assertThat(rule.triggers()).as(rule.name()).isNotEmpty();
            assertThat(Rules.byName(rule.name())).containsSame(rule);
        }
        assertThat(names).contains("deletion-protection", "public-access", "region-guard");
    }

    @Test
    void everyRemedyOfARule_shouldBeAppliedByAFixOfThatRule_withinItsDeclaredActions() {
        for (Rule rule : Rules.all()) {
            // GIVEN the rule's closed set of remedies
            Class<? extends Remedy> root = rule.remedies();
            if (root == Remedy.AlertOnly.class) {
                assertThat(rule.fixes(null)).as("%s only alerts: it has no fixes", rule.name()).isEmpty();
                continue;
            }
            assertThat(root.isSealed()).as("%s is sealed", root.getSimpleName()).isTrue();
            Class<?>[] permitted = root.getPermittedSubclasses();
            assertThat(permitted).as(root.getSimpleName()).isNotEmpty().doesNotContain(Remedy.AlertOnly.class);

            // WHEN its fixes are built as its function builds them
            Fixes fixes = RuleFixes.of(rule, NO_CLIENT);

            // THEN each remedy has a fix, no fix is for another rule's remedy, and each fix's calls are declared
            assertThat(fixes.remedies()).as("remedies %s's fixes apply", rule.name())
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(permitted).map(c -> c.asSubclass(Remedy.class)).toList());
            for (Class<?> remedy : permitted) {
                assertThat(fixes.actionsFor(remedy.asSubclass(Remedy.class))).as("IAM actions of %s", remedy.getSimpleName())
                        .isNotEmpty().allSatisfy(a -> assertThat(a).matches("[a-z0-9-]+:[A-Za-z]+"))
                        .isSubsetOf(declared(rule));
            }
            assertThat(fixes.actionsFor(Remedy.AlertOnly.class)).isEmpty();
        }
    }

    @Test
    void alertOnlyRules_shouldBeThoseThatAnswerAlertOnly_andTheBackupsRuleIsOne() {
        assertThat(Rules.all()).filteredOn(rule -> rule.remedies() == Remedy.AlertOnly.class).extracting(Rule::name)
                .contains("backups").doesNotContain("deletion-protection", "point-in-time-recovery");
    }

    @Test
    void everyAugment_shouldCallOnlyActionsItsRuleDeclares() {
        for (Rule rule : Rules.all()) {
            Set<Class<?>> types = new HashSet<>();
            for (Augment<?> augment : rule.augments()) {
                assertThat(augment.actions()).as(augment.type().getSimpleName()).isNotEmpty().isSubsetOf(declared(rule));
                assertThat(types.add(augment.type())).as("one augment per type in %s", rule.name()).isTrue();
            }
        }
    }

    /**
     * The table state every rule gets holds only what the shared spine reads for every rule (which table, its
     * status, its tags); the rest is an augment some rule declares, and is read only in that rule's function.
     */
    @Test
    void tableState_shouldHoldOnlyWhatEveryRuleReads() {
        assertThat(Arrays.stream(TableState.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactly("ref", "status", "tags", "augments");
    }

    /**
     * What the spine reads for every rule is in every rule's actions: the description, the tags and, when the table
     * carries ddb-warden's quarantine tag, the table's policy (the tag counts only beside ddb-warden's statement
     * there), whether or not the rule reads policies itself.
     */
    @Test
    void everyRule_shouldDeclareWhatTheSpineReadsForIt() {
        for (Rule rule : Rules.all()) {
            assertThat(rule.tableActions()).as(rule.name())
                    .contains("dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "dynamodb:GetResourcePolicy");
        }
    }

    /** An augment two rules read is the shared spine's (state); one rule's own lives in that rule's package. */
    @Test
    void everyAugment_shouldLiveInTheStatePackage_exactlyWhenMoreThanOneRuleReadsIt() {
        Map<Class<?>, List<Rule>> readers = new HashMap<>();
        for (Rule rule : Rules.all()) {
            rule.augments().forEach(a -> readers.computeIfAbsent(a.type(), t -> new ArrayList<>()).add(rule));
        }
        assertThat(readers).isNotEmpty();
        readers.forEach((type, rules) -> assertThat(type.getPackageName()).as(type.getSimpleName()).isEqualTo(
                rules.size() > 1 ? TableState.class.getPackageName() : rules.get(0).getClass().getPackageName()));
    }

    @Test
    void fixes_shouldRefuseARemedyNoFixApplies() {
        Fixes fixes = new Fixes(List.<Fix<?>>of());

        assertThatThrownBy(() -> fixes.actionsFor(Stray.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Stray");
    }

    /** A remedy no rule declares. */
    private record Stray() implements Remedy {
        @Override
        public boolean changesTable() {
            return true;
        }

        @Override
        public String done() {
            return "";
        }

        @Override
        public String manualStep(TableRef table) {
            return "";
        }
    }

    /** Every IAM action the rule declares: on tables, and on other resources (the keys that encrypt them among them). */
    private static Set<String> declared(Rule rule) {
        Set<String> all = new HashSet<>(rule.tableActions());
        all.addAll(rule.otherActions());
        return all;
    }
}
