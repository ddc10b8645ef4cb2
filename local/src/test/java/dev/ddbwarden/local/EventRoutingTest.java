package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml's EventBridge patterns, read from the template and run by Amazon's event-ruler, route
 * each file in events/ to exactly the functions events/routing.json names: no more, no fewer.
 */
class EventRoutingTest {
    private static EventRoutes routes;
    private static JsonNode expected;

    @BeforeAll
    static void load() throws Exception {
        routes = EventRoutes.of(Project.template());
        expected = new ObjectMapper().readTree(Project.EVENTS.resolve("routing.json").toFile()).path("routes");
    }

    static List<String> files() throws Exception {
        return Project.eventFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void pattern_shouldRouteEachEvent_toExactlyTheExpectedFunctions(String file) throws Exception {
        assertThat(expected.has(file)).as("%s is listed in events/routing.json", file).isTrue();
        Set<String> want = new TreeSet<>();
        expected.path(file).forEach(f -> want.add(f.asText()));

        assertThat(routes.functionsFor(Project.event(file))).as(file).isEqualTo(want);
    }

    @Test
    void routingTable_shouldNameOnlyExistingFiles() throws Exception {
        List<String> listed = new ArrayList<>();
        expected.fieldNames().forEachRemaining(listed::add);
        assertThat(Project.eventFiles()).containsAll(listed);
    }

    @Test
    void everyRuleOfTheTemplate_shouldMatchSomeSampleInEvents() throws Exception {
        Set<String> matched = new TreeSet<>();
        for (String file : Project.eventFiles()) {
            matched.addAll(routes.rulesFor(Project.event(file)));
        }
        Template template = Project.template();
        Set<String> rules = new TreeSet<>();
        for (String function : template.functionIds()) {
            template.eventPatterns(function).keySet().forEach(event -> rules.add(EventRoutes.rule(function, event)));
        }

        assertThat(rules).isNotEmpty();
        assertThat(matched).as("rules some file in events/ matches").containsAll(rules);
    }

    @Test
    void everyRegisteredCheck_shouldHaveEventsItsPatternMatches_andOnesItMustNot() throws Exception {
        for (Rule rule : Rules.all()) {
            int matched = 0;
            for (String file : Project.eventFiles()) {
                if (routes.functionsFor(Project.event(file)).contains(rule.function())) {
                    matched++;
                }
            }
            assertThat(matched).as("events/ files routed to %s", rule.function()).isPositive();
        }
        assertThat(routes.functionsFor(Project.event("update-table-protection-on.json"))).isEmpty();
        assertThat(routes.functionsFor(Project.event("create-table-failed.json"))).isEmpty();
    }
}
