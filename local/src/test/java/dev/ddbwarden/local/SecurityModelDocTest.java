package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.config.SettingsSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/security-model.md keeps its shape and says what is true: README links it, every capability has its table
 * with the same five rows, no mark of work still to land is left, every SCP statement is named (and where the page
 * names its file, is in that file), every name, Sid, test, cache age and window it gives is the code's and the
 * template's.
 */
class SecurityModelDocTest {
    private static final String DOC = "docs/security-model.md";
    private static final List<String> CAPABILITIES = List.of("Tag a table", "Send to a queue", "Invoke a function",
            "Change a parameter or the settings", "Stop the trail", "Edit ddb-warden's roles", "Forge an event",
            "Race a fix", "Pass a ddb-warden role to a new function", "Restore from AWS Backup", "Add a replica",
            "Write to the ledger", "Change ddb-warden's other resources");
    private static final List<String> ROWS = List.of("capability", "what it would buy", "ddb-warden", "the SCPs",
            "what remains");
    private static final Pattern MARK = Pattern.compile("\\[14\\.\\w+]");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String text;
    private static Map<String, String> sections;

    @BeforeAll
    static void read() throws Exception {
        text = Files.readString(Project.ROOT.resolve(DOC));
        sections = new LinkedHashMap<>();
        String[] parts = text.split("(?m)^## ");
        for (int i = 1; i < parts.length; i++) {
            sections.put(parts[i].substring(0, parts[i].indexOf('\n')).strip(), parts[i]);
        }
    }

    @Test
    void readme_shouldLinkTheSecurityModel() throws Exception {
        assertThat(Files.readString(Project.ROOT.resolve("README.md"))).contains("](" + DOC + ")");
    }

    @Test
    void everyCapability_shouldAnswerTheSameFiveQuestions() {
        for (String capability : CAPABILITIES) {
            assertThat(sections).as("section " + capability).containsKey(capability);
            for (String row : ROWS) {
                assertThat(sections.get(capability)).as(capability + ": row " + row).contains("\n| " + row + " | ");
            }
        }
    }

    @Test
    void document_shouldDescribeWhatLanded_notWhatWasPlanned() {
        assertThat(sections).doesNotContainKey("Depends on work in this same change");
        assertThat(MARK.matcher(text).find()).as("a mark [14.x] of work still to land").isFalse();
    }

    @Test
    void everyScpStatement_shouldBeNamedWhereItIs_andEveryStatementShouldBeNamed() throws Exception {
        Map<String, Set<String>> sidsByFile = new TreeMap<>();
        try (var files = Files.list(Project.ROOT.resolve("scp"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Set<String> sids = new TreeSet<>();
                for (JsonNode statement : JSON.readTree(file.toFile()).path("Statement")) {
                    sids.add(statement.path("Sid").asText());
                }
                sidsByFile.put(file.getFileName().toString(), sids);
            }
        }
        assertThat(sidsByFile).isNotEmpty();
        Set<String> named = new TreeSet<>();
        Matcher sids = Pattern.compile("`(Deny\\w+)`(?: in `([a-z-]+\\.json)`)?").matcher(text);
        while (sids.find()) {
            String sid = sids.group(1);
            named.add(sid);
            if (sids.group(2) != null) {
                assertThat(sidsByFile.get(sids.group(2))).as(sid + " in " + sids.group(2)).contains(sid);
            } else {
                assertThat(sidsByFile.values()).as(sid).anyMatch(inFile -> inFile.contains(sid));
            }
        }
        sidsByFile.forEach((file, inFile) -> {
            assertThat(text).as("the document names " + file).contains("`" + file + "`");
            assertThat(named).as("the statements of " + file + " the document names").containsAll(inFile);
        });
    }

    @Test
    void everyTemplateNameAndSidItGives_shouldBeInTheTemplate() throws Exception {
        String template = Files.readString(Project.TEMPLATE);
        Matcher names = Pattern.compile("`STACK-([a-z][a-z-]*[a-z])`").matcher(text);
        int found = 0;
        while (names.find()) {
            found++;
            // block style ends the name with the line, flow style with its closing quote
            assertThat(template).as("STACK-" + names.group(1))
                    .containsPattern(Pattern.quote("${AWS::StackName}-" + names.group(1)) + "[\"\n]");
        }
        assertThat(found).isPositive();
        Matcher sids = Pattern.compile("Sid `(\\w+)`").matcher(text);
        found = 0;
        while (sids.find()) {
            found++;
            assertThat(template).as("Sid " + sids.group(1)).containsPattern("Sid: " + sids.group(1) + "[,\n]");
        }
        assertThat(found).isPositive();
    }

    @Test
    void settingsCacheAndDecommissionWindow_shouldBeWhatTheCodeAndTemplateSay() throws Exception {
        Matcher cache = Pattern.compile("`SettingsSource\\.MAX_AGE` \\((\\d+) minutes?\\)").matcher(text);
        assertThat(cache.find()).as("the settings cache's age").isTrue();
        assertThat(Long.parseLong(cache.group(1))).isEqualTo(SettingsSource.MAX_AGE.toMinutes());
        Matcher window = Pattern.compile("`DecommissionWindowHours` \\((\\d+) by default, at most (\\d+)\\)").matcher(text);
        assertThat(window.find()).as("the decommission window").isTrue();
        Map<?, ?> parameter = (Map<?, ?>) Project.template().parameters().get("DecommissionWindowHours");
        assertThat(window.group(1)).isEqualTo(String.valueOf(parameter.get("Default")));
        assertThat(window.group(2)).isEqualTo(String.valueOf(parameter.get("MaxValue")));
    }

    @Test
    void everyScpFileAndTestItNames_shouldExist() throws Exception {
        Matcher scps = Pattern.compile("`([a-z-]+\\.json)`").matcher(text);
        while (scps.find()) {
            assertThat(Project.ROOT.resolve("scp").resolve(scps.group(1))).as(scps.group(1)).exists();
        }
        Matcher tests = Pattern.compile("`(\\w+(?:Test|IT))`").matcher(text);
        int found = 0;
        while (tests.find()) {
            found++;
            String name = tests.group(1);
            boolean exists = false;
            for (String module : List.of("functions/warden", "local")) {
                try (var files = Files.walk(Project.ROOT.resolve(module).resolve("src/test/java"))) {
                    exists |= files.anyMatch(f -> f.getFileName().toString().equals(name + ".java"));
                }
            }
            assertThat(exists).as(name).isTrue();
        }
        assertThat(found).isPositive();
    }
}
