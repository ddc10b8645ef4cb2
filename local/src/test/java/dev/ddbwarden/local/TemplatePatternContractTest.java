package dev.ddbwarden.local;

import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import dev.ddbwarden.rules.Trigger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the EventBridge patterns of each rule's function in template.yaml to the triggers the rule declares:
 * the same calls, each filtered on the same request fields. A rule that starts reading a call its pattern
 * does not deliver, or a pattern that delivers what no rule reads, fails here.
 */
class TemplatePatternContractTest {
    private static final String RESTORE_JOB = "Restore Job State Change";
    private static Template template;

    @BeforeAll
    static void load() throws Exception {
        template = Project.template();
    }

    @Test
    void everyRulesPatterns_shouldDeliverExactlyItsTriggers() {
        for (Rule rule : Rules.all()) {
            Set<Trigger> delivered = new HashSet<>();
            template.eventPatterns(rule.function()).values().forEach(pattern -> delivered.addAll(triggers(pattern)));

            assertThat(delivered).as("calls %s's patterns deliver", rule.function())
                    .containsExactlyInAnyOrderElementsOf(new HashSet<>(rule.triggers()));
        }
    }

    @Test
    void triggers_shouldReadEachBranchOfAnOr_withItsRequestFields() {
        Map<String, Object> pattern = Map.of("source", List.of(Trigger.DYNAMODB), "detail", Map.of("$or", List.of(
                Map.of("eventName", List.of("CreateTable", "DeleteTable")),
                Map.of("eventName", List.of("UpdateTable"), "requestParameters",
                        Map.of("replicaUpdates", Map.of("create", Map.of("regionName", List.of(Map.of("exists", true)))))))));

        assertThat(triggers(pattern)).containsExactlyInAnyOrder(Trigger.on("CreateTable"), Trigger.on("DeleteTable"),
                Trigger.on("UpdateTable", "replicaUpdates.create.regionName"));
    }

    @Test
    void triggers_shouldCarryThePatternsSource() {
        Map<String, Object> pattern = Map.of("source", List.of("aws.kms"), "detail",
                Map.of("eventSource", List.of("kms.amazonaws.com"), "eventName", List.of("DisableKey")));

        assertThat(triggers(pattern)).containsExactly(Trigger.from("aws.kms", "DisableKey"));
    }

    /**
     * The calls one pattern delivers: AWS Backup's restore job event, or CloudTrail records of the pattern's one
     * source by event name (every call of it when the pattern names none), a pattern naming CloudTrail's eventSource
     * naming the one its source implies.
     */
    private static Set<Trigger> triggers(Object pattern) {
        Map<String, Object> top = Template.map(pattern);
        Set<Trigger> triggers = new HashSet<>();
        if (Template.list(top.get("detail-type")).contains(RESTORE_JOB)) {
            triggers.add(Trigger.from(Trigger.BACKUP, ApiCall.BACKUP_RESTORE));
            return triggers;
        }
        List<Object> sources = Template.list(top.get("source"));
        assertThat(sources).as("one source per pattern").hasSize(1);
        String source = String.valueOf(sources.get(0));
        Map<String, Object> detail = Template.map(top.get("detail"));
        List<Object> branches = detail.containsKey("$or") ? Template.list(detail.get("$or")) : List.of(detail);
        for (Object branch : branches) {
            Map<String, Object> filter = Template.map(branch);
            Template.list(filter.getOrDefault("eventSource", Template.map(top.get("detail")).get("eventSource")))
                    .forEach(eventSource -> assertThat(eventSource).as("eventSource of a " + source + " pattern")
                            .isEqualTo(Trigger.from(source, "any").eventSource()));
            Set<String> fields = new TreeSet<>();
            paths("", Template.map(filter.get("requestParameters")), fields);
            for (Object name : Template.list(filter.get("eventName"))) {
                triggers.add(new Trigger(source, String.valueOf(name), fields));
            }
            if (!filter.containsKey("eventName")) {
                triggers.add(new Trigger(source, Trigger.ANY, fields));
            }
        }
        return triggers;
    }

    /** Dotted paths to the leaves (lists of matchers) of a nested filter. */
    private static void paths(String prefix, Map<String, Object> filter, Set<String> into) {
        filter.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?>) {
                paths(path, Template.map(value), into);
            } else {
                into.add(path);
            }
        });
    }
}
