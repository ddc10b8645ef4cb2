package dev.ddbwarden.local;

import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md is the page a newcomer reads in minutes: short, the two commands first, one row per registered rule
 * linking that rule's page, and a diagram that shows every function and every resource they share, as
 * template.yaml and forwarder.yaml declare them. The details live in docs/.
 */
class ReadmeTest {
    private static final int MAX_LINES = 300;
    /** Resource types the diagram must show, each by its logical ID. */
    private static final Set<String> DRAWN = Set.of("AWS::Serverless::Function", "AWS::Serverless::StateMachine",
            "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::DynamoDB::Table", "AWS::SSM::Parameter", "AWS::Events::Rule");
    private static String readme;

    @BeforeAll
    static void read() throws Exception {
        readme = Files.readString(Project.ROOT.resolve("README.md"));
    }

    @Test
    void readme_shouldBeShort() {
        assertThat(readme.lines().count()).as("README lines").isLessThanOrEqualTo(MAX_LINES);
    }

    @Test
    void readme_shouldOpenWithTheDemoAndTheTestCommand() {
        List<String> lines = readme.lines().toList();

        assertThat(lines.get(0)).isEqualTo("# ddb-warden");
        assertThat(lines.get(2)).isEqualTo("```sh");
        assertThat(lines.get(3)).startsWith("./warden demo ");
        assertThat(lines.get(4)).startsWith("./mvnw -B verify ");
    }

    @Test
    void rulesTable_shouldHaveOneRowPerRegisteredRule_linkingItsPage() throws Exception {
        List<String> rows = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| ([a-z][a-z-]*) \\|.*\\]\\((docs/[a-z-]+\\.md)\\) \\|$").matcher(readme);
        while (row.find()) {
            rows.add(row.group(1));
            assertThat(row.group(2)).as("the page of " + row.group(1)).isEqualTo("docs/" + row.group(1) + ".md");
            assertThat(Project.ROOT.resolve(row.group(2))).exists();
        }

        assertThat(rows).containsExactlyInAnyOrderElementsOf(Rules.all().stream().map(Rule::name).toList());
    }

    @Test
    void diagram_shouldShowEveryFunction_andEveryQueueTopicTableAndRule_theyShare() throws Exception {
        // GIVEN
        Matcher block = Pattern.compile("(?s)```mermaid\\n(.*?)```").matcher(readme);
        assertThat(block.find()).as("a mermaid diagram").isTrue();
        String diagram = block.group(1);
        List<String> ids = new ArrayList<>(Project.template().functionIds());
        drawn(Project.template().resources(), "AWS::Events::Rule", ids);
        drawn(Template.read(Project.ROOT.resolve("forwarder.yaml")).resources(), null, ids);

        // WHEN / THEN
        assertThat(ids).as("resources to draw").contains("WatcherFunction", "SweepStateMachine", "Ledger",
                "AlertTopic", "FailureQueue", "ForwardRule", "ForwardDeadLetterQueue");
        assertThat(ids).allSatisfy(id ->
                assertThat(Pattern.compile("\\b" + id + "\\b").matcher(diagram).find()).as("the diagram shows " + id).isTrue());
    }

    /** Adds the logical IDs of {@code resources} whose type is drawn, but {@code except}. */
    private static void drawn(Map<String, Object> resources, String except, List<String> ids) {
        resources.forEach((id, body) -> {
            Object type = Template.map(body).get("Type");
            if (DRAWN.contains(type) && !type.equals(except) && !ids.contains(id)) {
                ids.add(id);
            }
        });
    }
}
