package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Why {@code ./warden deliver} reached no function: the closest of template.yaml's patterns and what the event misses. */
class NearestRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EventRoutes routes;

    @BeforeAll
    static void load() throws Exception {
        routes = EventRoutes.of(Project.template());
    }

    @Test
    void failedCall_shouldBeCloseToItsRule_failingOnlyOnErrorCode() throws Exception {
        String event = Project.event("create-table-failed.json");
        assertThat(routes.rulesFor(event)).isEmpty();

        NearestRule.Verdict nearest = NearestRule.of(routes.patterns(), event).orElseThrow();

        assertThat(nearest.rule()).isIn(EventRoutes.rule("DeletionProtectionFunction", "CloudTrail"),
                EventRoutes.rule("RegionGuardFunction", "TableAppeared"));
        assertThat(nearest.failed()).extracting(NearestRule.Condition::field).containsExactly("detail.errorCode");
        assertThat(nearest.held()).isEqualTo(nearest.of() - 1);
        assertThat(NearestRule.describe(nearest.failed().get(0), JSON.readTree(event)))
                .contains("[{\"exists\":false}]").contains("\"ResourceInUseException\"");
    }

    @Test
    void protectionTurnedOn_shouldFailOnTheAlternatives_notOnTheSource() throws Exception {
        String event = Project.event("update-table-protection-on.json");
        assertThat(routes.rulesFor(event)).isEmpty();

        NearestRule.Verdict nearest = NearestRule.of(routes.patterns(), event).orElseThrow();
        JsonNode parsed = JSON.readTree(event);

        List<String> failed = nearest.failed().stream().map(NearestRule.Condition::field).toList();
        assertThat(failed).doesNotContain("source", "detail-type", "detail.eventSource");
        assertThat(nearest.failed()).allSatisfy(condition -> assertThat(NearestRule.describe(condition, parsed)).isNotBlank());
    }

    @Test
    void matchingEvent_shouldHaveANearestRuleThatHoldsWhole() throws Exception {
        String event = Project.event("create-table-unprotected.json");

        NearestRule.Verdict nearest = NearestRule.of(routes.patterns(), event).orElseThrow();

        assertThat(nearest.failed()).isEmpty();
        assertThat(routes.rulesFor(event)).contains(nearest.rule());
    }
}
