package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The archive's life cycle without a JVM: what each run is told to do, and what is kept afterwards. */
class ClassDataArchiveTest {
    private static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1");

    @Test
    void firstRun_shouldTrain_andASuccessfulRunShouldKeepTheArchiveForTheNext(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();

        // GIVEN no archive, WHEN a run starts: it trains into a file of its own
        ClassDataArchive first = ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath);
        assertThat(first.training()).isTrue();
        Path training = Path.of(first.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(training, new byte[]{1, 2, 3});
        first.finish(0);

        // THEN the next run maps what the first wrote
        ClassDataArchive second = ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath);
        assertThat(second.training()).isFalse();
        assertThat(second.flags()).singleElement().asString().startsWith("-XX:SharedArchiveFile=");
        assertThat(Files.readAllBytes(archiveOf(second))).containsExactly(1, 2, 3);
        assertThat(training).doesNotExist();
    }

    @Test
    void failedTrainingRun_shouldKeepNothing(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();
        ClassDataArchive first = ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath);
        Path training = Path.of(first.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(training, new byte[]{1, 2, 3});

        first.finish(1);

        try (var files = Files.list(dir.resolve("cache"))) {
            assertThat(files).isEmpty();
        }
        assertThat(ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath).training()).isTrue();
    }

    @Test
    void archiveChangedSinceWritten_orCrashedOn_shouldBeTrainedAgain(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();
        Path archive = trained(dir, classpath);

        // WHEN it is rewritten (its stamp no longer matches): trained again
        Files.write(archive, new byte[]{9});
        assertThat(ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath).training()).isTrue();
        assertThat(archive).doesNotExist();

        // WHEN a JVM mapping it was killed by a signal: deleted, so the next run trains
        archive = trained(dir, classpath);
        ClassDataArchive mapped = ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath);
        assertThat(mapped.training()).isFalse();
        mapped.finish(134);
        assertThat(archive).doesNotExist();
    }

    @Test
    void anotherClasspathOrJar_shouldGetItsOwnArchive_andTheOldOneGoes(@TempDir Path dir) throws Exception {
        Path jar = jar(dir, "a.jar");
        Path old = trained(dir, jar.toString());

        Files.write(jar, new byte[]{4, 5, 6, 7});
        ClassDataArchive rebuilt = ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, jar.toString());
        assertThat(rebuilt.training()).isTrue();
        Path training = Path.of(rebuilt.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(training, new byte[]{1});
        rebuilt.finish(0);

        assertThat(old).doesNotExist();
        assertThat(archiveOf(ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, jar.toString()))).exists();
    }

    @Test
    void classpathWithADirectory_shouldRunWithoutArchive(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar") + java.io.File.pathSeparator + Files.createDirectories(dir.resolve("classes"));

        ClassDataArchive archive = ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath);

        assertThat(archive.flags()).isEmpty();
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    private static Path trained(Path dir, String classpath) throws Exception {
        ClassDataArchive run = ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath);
        Path training = Path.of(run.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(training, new byte[]{1, 2, 3});
        run.finish(0);
        return archiveOf(ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath));
    }

    private static Path archiveOf(ClassDataArchive mapped) {
        return Path.of(mapped.flags().get(0).substring("-XX:SharedArchiveFile=".length()));
    }

    private static Path jar(Path dir, String name) throws Exception {
        return Files.write(dir.resolve(name), new byte[]{1});
    }
}
