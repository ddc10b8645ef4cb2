package dev.ddbwarden.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/security-model.md keeps its shape: README links it, every capability issue 14 names has its table with
 * the same four answers, every mark of work landing in the same change is defined once at the top and used, and
 * every file of scp/ and every test it names exists.
 */
class SecurityModelDocTest {
    private static final String DOC = "docs/security-model.md";
    private static final List<String> CAPABILITIES = List.of("Tag a table", "Send to a queue", "Invoke a function",
            "Change a parameter or the settings", "Stop the trail", "Edit ddb-warden's roles", "Forge an event",
            "Race a fix", "Pass a ddb-warden role to a new function", "Restore from AWS Backup", "Add a replica");
    private static final List<String> ROWS = List.of("capability", "what it would buy", "ddb-warden", "the SCPs",
            "what remains");
    private static final Pattern MARK = Pattern.compile("\\[(14\\.\\w+)]");
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
    void everyMark_shouldBeDefinedAtTheTopAndUsedBelow() {
        String top = sections.get("Depends on work in this same change");
        Set<String> defined = new TreeSet<>();
        Matcher definitions = Pattern.compile("(?m)^\\| \\[(14\\.\\w+)] \\|").matcher(top);
        while (definitions.find()) {
            defined.add(definitions.group(1));
        }
        Set<String> used = new TreeSet<>();
        sections.forEach((title, body) -> {
            if (!title.equals("Depends on work in this same change")) {
                Matcher marks = MARK.matcher(body);
                while (marks.find()) {
                    used.add(marks.group(1));
                }
            }
        });
        assertThat(defined).isNotEmpty().isEqualTo(used);
    }

    @Test
    void everyScpFileAndTestItNames_shouldExist() throws Exception {
        Matcher scps = Pattern.compile("`([a-z-]+\\.json)`").matcher(text);
        while (scps.find()) {
            assertThat(Project.ROOT.resolve("scp").resolve(scps.group(1))).as(scps.group(1)).exists();
        }
        Matcher tests = Pattern.compile("`(\\w+Test)`").matcher(text);
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
