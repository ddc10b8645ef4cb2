package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ddbwarden.local.ClassDataArchiveIT.archive;
import static dev.ddbwarden.local.ClassDataArchiveIT.jar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the launcher writes down for the ./warden script to run again, and when it writes nothing. That the
 * script runs it, and only while it is current, is InvokeProcessIT's.
 */
class CommandCacheTest {
    private static final List<String> COMMAND = List.of("/jdk/bin/java", "-Xmx384m", "-cp", "a.jar", "Main", "event.json");
    /** {@code printf 'Resources: {}\n' | sha256sum} */
    private static final String TEMPLATE_SHA256 = "49cbd1e9008e8b67dec76613bb4d6468c822c99701820526928d43b382f35fba";

    @Test
    void mappedRun_shouldWriteTheFilesItReadWithTheirHashes_theArchiveItsEnvironmentAndItsCommandLine(@TempDir Path dir)
            throws Exception {
        ClassDataArchive mapped = mapped(dir);
        Path template = Files.writeString(dir.resolve("template.yaml"), "Resources: {}\n");
        Path entry = dir.resolve("invoke.cmd");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("REMEDIATION_MODE", "notify");
        environment.put("EMPTY", "");

        // WHEN a run without --env-vars (null) that mapped its archive returned
        CommandCache.at(entry.toString(), dir.resolve("event.json"), template, null).remember(COMMAND, environment, 65, 60, mapped, 1);

        assertThat(fields(entry)).containsExactly(CommandCache.FORMAT, "65", "60", mapped.mapped().toString(),
                Files.readString(Path.of(mapped.mapped() + ".stamp")), "1", template.toString(), TEMPLATE_SHA256,
                "2", "REMEDIATION_MODE=notify", "EMPTY=",
                "/jdk/bin/java", "-Xmx384m", "-cp", "a.jar", "Main", "event.json");
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void trainingRun_crashedRun_orRunWithoutAnEventFile_shouldWriteNothing(@TempDir Path dir) throws Exception {
        Path entry = dir.resolve("invoke.cmd");
        Path event = dir.resolve("event.json");
        ClassDataArchive training = archive(dir, jar(dir, "a.jar").toString());
        assertThat(training.training()).isTrue();

        CommandCache.at(entry.toString(), event).remember(COMMAND, Map.of(), 65, 60, training, 0);
        CommandCache.at(entry.toString(), event).remember(COMMAND, Map.of(), 65, 60, mapped(dir), 134);

        assertThat(entry).doesNotExist();
        // No event: the launcher hands the handler an empty file of its own making, deleted at exit
        assertThat(CommandCache.at(entry.toString(), null)).isNull();
        assertThat(CommandCache.at(null, event)).isNull();
    }

    /** An archive in place with its stamp, as a finished training leaves it. */
    private static ClassDataArchive mapped(Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();
        ClassDataArchive training = archive(dir, classpath);
        String recording = training.flags().stream().filter(f -> f.startsWith("-XX:DumpLoadedClassList="))
                .map(f -> f.substring("-XX:DumpLoadedClassList=".length())).findFirst().orElseThrow();
        Path archive = Path.of(recording.replaceAll("\\.\\d+\\.tmp\\.rec$", ".jsa"));
        Files.write(archive, new byte[4096]);
        Files.writeString(Path.of(archive + ".stamp"), ClassDataArchive.stamp(archive));
        ClassDataArchive mapped = archive(dir, classpath);
        assertThat(mapped.mapped()).isEqualTo(archive);
        return mapped;
    }

    private static List<String> fields(Path entry) throws Exception {
        String text = Files.readString(entry, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\0");
        return List.of(text.substring(0, text.length() - 1).split("\0", -1));
    }
}
