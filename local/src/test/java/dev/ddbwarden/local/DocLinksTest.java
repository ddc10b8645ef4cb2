package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the project's documentation leads somewhere: README.md, docs/, scp/README.md,
 * events/README.md and bench/'s pages. A page moved or a heading renamed fails here, not in a newcomer's browser.
 */
class DocLinksTest {

    @Test
    void everyRelativeLink_shouldNameAFileThatExists_andAHeadingOfIt() throws Exception {
        // GIVEN
        List<Path> pages = documentation();
        List<String> broken = new ArrayList<>();

        // WHEN
        for (Path page : pages) {
            broken.addAll(DocLinks.broken(Project.ROOT, page));
        }

        // THEN
        assertThat(pages).as("pages checked").hasSizeGreaterThan(10);
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    @Test
    void readme_shouldLinkEveryPageOfDocs() throws Exception {
        String readme = Files.readString(Project.ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(Project.ROOT.resolve("docs"))) {
            assertThat(docs.map(p -> "](docs/" + p.getFileName() + ")").toList())
                    .isNotEmpty()
                    .allSatisfy(link -> assertThat(readme).as("README links " + link).contains(link));
        }
    }

    @Test
    void aMissingFile_aMissingHeading_andAMissingOwnHeading_shouldEachBeReported(@TempDir Path root) throws Exception {
        // GIVEN
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/target.md"), "# Target page\n\n## Deploy: the `sam` way (quickly)\n\n## Deploy: the `sam` way (quickly)\n");
        Path page = root.resolve("README.md");
        Files.writeString(page, String.join("\n",
                "# Title",
                "## Running it locally",
                "[fine](docs/target.md) [fine too](docs/target.md#deploy-the-sam-way-quickly-1) [own](#running-it-locally)",
                "[gone](docs/gone.md) and [no heading](docs/target.md#deploy) and [own gone](#tests)",
                "[web](https://example.com/x) `[in code](nowhere.md)`",
                "```",
                "[in a block](nowhere.md)",
                "```",
                ""));

        // WHEN
        List<String> broken = DocLinks.broken(root, page);

        // THEN
        assertThat(broken).containsExactly(
                "README.md:4: docs/gone.md (no such file)",
                "README.md:4: docs/target.md#deploy (no heading with anchor #deploy)",
                "README.md:4: #tests (no heading with anchor #tests)");
    }

    @Test
    void slug_shouldFollowGitHubsAnchors() {
        assertThat(DocLinks.slug("Preventive controls (SCPs)")).isEqualTo("preventive-controls-scps");
        assertThat(DocLinks.slug("`./warden demo`")).isEqualTo("warden-demo");
        assertThat(DocLinks.slug("Data residency: the region guard")).isEqualTo("data-residency-the-region-guard");
        assertThat(DocLinks.slug("Change a parameter or the settings")).isEqualTo("change-a-parameter-or-the-settings");
        assertThat(DocLinks.slug("Edit ddb-warden's roles")).isEqualTo("edit-ddb-wardens-roles");
        assertThat(DocLinks.slug("See [the forwarder](docs/forwarder.md)")).isEqualTo("see-the-forwarder");
    }

    private static List<Path> documentation() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Project.ROOT.resolve("README.md"),
                Project.ROOT.resolve("scp/README.md"), Project.ROOT.resolve("events/README.md")));
        for (String folder : List.of("docs", "bench")) {
            try (Stream<Path> files = Files.list(Project.ROOT.resolve(folder))) {
                files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        return pages;
    }
}
