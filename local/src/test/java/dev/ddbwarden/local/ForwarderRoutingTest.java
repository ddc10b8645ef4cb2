package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.event.ruler.Machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * forwarder.yaml forwards what the home region's table rules use and nothing else, decided by Amazon's
 * event-ruler over both templates. "What the rules use" is derived from template.yaml, so a rule added there
 * fails this test until the forwarder carries its events too. The watcher's rules are left out: they watch
 * ddb-warden's own resources, which live in the home region, where no forwarder runs.
 */
class ForwarderRoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Machine forwarder;
    private static EventRoutes home;
    private static Template template;
    private static Set<String> tableFunctions;

    @BeforeAll
    static void load() throws Exception {
        Template forwarderTemplate = Template.read(Project.ROOT.resolve("forwarder.yaml"));
        TemplateValues values = new TemplateValues(forwarderTemplate.parameters(), Map.of(), LocalAws.REGION,
                LocalAws.ACCOUNT);
        forwarder = new Machine();
        forwarderTemplate.resources().forEach((id, body) -> {
            Map<String, Object> resource = Template.map(body);
            if ("AWS::Events::Rule".equals(resource.get("Type"))) {
                Object pattern = values.resolveWithin(Template.map(resource.get("Properties")).get("EventPattern"));
                try {
                    forwarder.addRule(id, JSON.writeValueAsString(pattern));
                } catch (Exception e) {
                    throw new IllegalStateException("forwarder rule " + id, e);
                }
            }
        });
        template = Project.template();
        home = EventRoutes.of(template);
        tableFunctions = new TreeSet<>();
        for (Rule rule : Rules.all()) {
            tableFunctions.add(rule.function());
        }
    }

    /** Every event each table rule's pattern names, one per value and branch, also matches the forwarder's. */
    @Test
    void forwarder_shouldMatchEveryEventATableRuleNames() throws Exception {
        TemplateValues values = new TemplateValues(template.parameters(), Map.of(), LocalAws.REGION, LocalAws.ACCOUNT);
        List<String> checked = new ArrayList<>();
        for (String function : tableFunctions) {
            for (var pattern : template.eventPatterns(function).entrySet()) {
                String rule = EventRoutes.rule(function, pattern.getKey());
                for (Map<String, Object> event : PatternEvents.of(Template.map(values.resolveWithin(pattern.getValue())))) {
                    String json = JSON.writeValueAsString(event);
                    assertThat(home.rulesFor(json)).as("%s matches the event made from it: %s", rule, json).contains(rule);
                    assertThat(forwarder.rulesForJSONEvent(json)).as("the forwarder forwards %s's %s", rule, json).isNotEmpty();
                    checked.add(json);
                }
            }
        }
        assertThat(checked).as("events made from the table rules' patterns").hasSizeGreaterThan(10);
    }

    /** Every sample in events/ that reaches a table rule reaches the forwarder. */
    @Test
    void forwarder_shouldForwardEverySampleATableRuleMatches() throws Exception {
        int used = 0;
        for (String file : Project.eventFiles()) {
            String event = Project.event(file);
            if (home.functionsFor(event).stream().anyMatch(tableFunctions::contains)) {
                used++;
                assertThat(forwarder.rulesForJSONEvent(event)).as("%s reaches a table rule: forwarded", file).isNotEmpty();
            }
        }
        assertThat(used).isGreaterThan(10);
    }

    /**
     * Data events cost per event and cross regions: only the private-network rule's single-table item calls are
     * forwarded and routed, to its function alone (a trail scopes which tables log them: docs/private-network.md); a
     * stream's GetRecords reaches nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"data-put-item.json", "data-query.json", "data-get-records.json"})
    void dataEvents_shouldReachThePrivateNetworkRuleAlone_andStreamReadsNothing(String file) throws Exception {
        String event = Project.event(file);
        assertThat(JSON.readTree(event).at("/detail/eventCategory").asText()).isEqualTo("Data");
        boolean itemCall = !file.equals("data-get-records.json");

        assertThat(forwarder.rulesForJSONEvent(event).isEmpty()).as(file).isEqualTo(!itemCall);
        assertThat(home.functionsFor(event)).as(file).isEqualTo(itemCall ? Set.of("PrivateNetworkFunction") : Set.of());
    }

    /** Read-only management calls are billed when forwarded too, and no rule uses them. */
    @Test
    void readOnlyManagementEvents_shouldNotBeForwarded() throws Exception {
        String describe = Project.event("delete-table.json").replace("\"DeleteTable\"", "\"DescribeTable\"");

        assertThat(forwarder.rulesForJSONEvent(describe)).isEmpty();
        assertThat(forwarder.rulesForJSONEvent(Project.event("delete-table.json"))).isNotEmpty();
    }

    /**
     * A data event of an IAM user (where a trail logs data events) is the iam-users rule's, and, as any item call, the
     * private-network rule's: forwarded from other regions and routed to those two functions.
     */
    @Test
    void anIamUsersDataEvent_shouldBeForwarded_toTheIamUsersAndPrivateNetworkFunctions() throws Exception {
        String event = Project.event("data-put-item.json").replaceFirst("\"userIdentity\": \\{[^}]*\"sessionContext\"",
                "\"userIdentity\": {\"type\": \"IAMUser\", \"arn\": \"arn:aws:iam::123456789012:user/Alice\", \"userName\": \"Alice\", \"ignored\"");

        assertThat(JSON.readTree(event).at("/detail/userIdentity/type").asText()).isEqualTo("IAMUser");
        assertThat(forwarder.rulesForJSONEvent(event)).isNotEmpty();
        assertThat(home.functionsFor(event)).containsExactlyInAnyOrder("IamUsersFunction", "PrivateNetworkFunction");
    }
}
