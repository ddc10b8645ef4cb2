package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive's life cycle: what each run is told to do, and what is kept afterwards. The static AppCDS format
 * runs for real (a training run of {@code java -version} in a JVM of its own, then the dump), which every JDK
 * supports; the AOT cache's JVMs run in InvokeProcessIT, on a JDK 25 when the machine has one. What needs no
 * JVM of its own is ClassDataArchiveTest's.
 */
class ClassDataArchiveIT {
    static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1");
    private static final String RECORD = "-XX:DumpLoadedClassList=";
    private static final String MAP = "-XX:SharedArchiveFile=";

    @Test
    void firstRun_shouldRecordItsClasses_andASuccessfulRunShouldKeepTheArchiveCreatedFromThem(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();

        // GIVEN no archive, WHEN a run starts: it lists the classes it loads into a file of its own
        ClassDataArchive first = archive(dir, classpath);
        assertThat(first.training()).isTrue();
        assertThat(first.flags()).singleElement().asString().startsWith(RECORD);
        assertThat(first.standardOutputNoise()).isNull();
        assertThat(java(first, classpath)).isZero();
        Path recording = Path.of(first.flags().get(0).substring(RECORD.length()));
        assertThat(Files.readAllLines(recording)).contains("java/lang/Object");
        first.finish(0);

        // THEN the next run maps the archive the dump made of them, and nothing else is left
        assertNextRunMapsTheArchiveAlone(dir, classpath);
    }

    @Test
    void inTheBackground_theArchiveIsCreatedAfterTheCallReturned_andKeptAsInTheForeground(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();
        ClassDataArchive first = archive(dir, classpath);
        assertThat(java(first, classpath)).isZero();

        // WHEN the run that trained returns at once, a JVM of its own creates the archive: until it is done, the
        // training files are all the cache holds
        first.finishInBackground(0);
        assertThat(files(dir)).allMatch(name -> name.contains(".tmp"));
        awaitCreations(dir.resolve("cache"), 120);

        // THEN the next run maps that archive, and nothing else is left
        assertNextRunMapsTheArchiveAlone(dir, classpath);
    }

    @Test
    void twoCheckouts_shouldEachKeepTheirArchive(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();
        String mine = ClassDataArchive.checkout(dir.resolve("clone-1"));
        String theirs = ClassDataArchive.checkout(dir.resolve("clone-2"));
        assertThat(mine).isNotEqualTo(theirs).isEqualTo(ClassDataArchive.checkout(dir.resolve("x/../clone-1")));

        // GIVEN each checkout trained the archive of one function, WHEN both are done
        for (String checkout : List.of(mine, theirs)) {
            ClassDataArchive run = ClassDataArchive.of(dir.resolve("cache"), "handler-F-" + checkout, FLAGS, classpath,
                    ArchiveFormat.APP_CDS);
            assertThat(java(run, classpath)).isZero();
            run.finish(0);
        }

        // THEN the second did not remove the first's: each maps its own
        assertThat(names(dir.resolve("cache"))).hasSize(4)
                .anyMatch(name -> name.startsWith("handler-F-" + mine + "-") && name.endsWith(".jsa"))
                .anyMatch(name -> name.startsWith("handler-F-" + theirs + "-") && name.endsWith(".jsa"));
    }

    @Test
    void failedTrainingRun_shouldKeepNothing(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();
        ClassDataArchive first = archive(dir, classpath);
        java(first, classpath);

        first.finish(1);

        assertThat(files(dir)).isEmpty();
        assertThat(archive(dir, classpath).training()).isTrue();
    }

    @Test
    void failedDump_shouldKeepNothing(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();
        ClassDataArchive first = archive(dir, classpath);
        java(first, classpath);
        // GIVEN a class list the dump refuses (it stops at a malformed line)
        Files.writeString(Path.of(first.flags().get(0).substring(RECORD.length())), "@lambda-proxy cut-short\n");

        first.finish(0);

        assertThat(files(dir)).isEmpty();
        assertThat(archive(dir, classpath).training()).isTrue();
    }

    @Test
    void archiveChangedSinceWritten_orCrashedOn_shouldBeTrainedAgain(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();
        Path archive = trained(dir, classpath);

        // WHEN it is rewritten (its stamp no longer matches): trained again
        archive.toFile().setWritable(true);
        Files.write(archive, new byte[]{9});
        assertThat(archive(dir, classpath).training()).isTrue();
        assertThat(archive).doesNotExist();

        // WHEN a JVM mapping it was killed by a signal: deleted, so the next run trains
        archive = trained(dir, classpath);
        ClassDataArchive mapped = archive(dir, classpath);
        assertThat(mapped.training()).isFalse();
        mapped.finish(134);
        assertThat(archive).doesNotExist();
    }

    @Test
    void anotherClasspathOrJar_shouldGetItsOwnArchive_andTheOldOneGoes(@TempDir Path dir) throws Exception {
        Path jar = jar(dir, "a.jar");
        Path old = trained(dir, jar.toString());

        Files.write(jar, new byte[]{4, 5, 6, 7});
        Path rebuilt = trained(dir, jar.toString());

        assertThat(rebuilt).isNotEqualTo(old).exists();
        assertThat(old).doesNotExist();
    }

    static ClassDataArchive archive(Path dir, String classpath) {
        return ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath, ArchiveFormat.APP_CDS);
    }

    /** A JVM with the archive's flags on {@code classpath}, as ./warden starts one; its exit status. */
    private static int java(ClassDataArchive archive, String classpath, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(FLAGS);
        command.addAll(archive.flags());
        command.addAll(List.of(more));
        command.addAll(List.of("-cp", classpath, "-version"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    /**
     * Waits, at most {@code seconds}, for the archives being created in the background in {@code cache}: until
     * each is done, its training files (*.tmp, *.tmp.rec) are there.
     */
    static void awaitCreations(Path cache, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (names(cache).stream().anyMatch(name -> name.contains(".tmp"))) {
            assertThat(System.nanoTime()).as("the background creation still runs").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The names of the files in {@code cache}. */
    static List<String> names(Path cache) throws Exception {
        try (var files = Files.list(cache)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** -Xshare:on: the JVM fails if it cannot map the archive. */
    private static void assertNextRunMapsTheArchiveAlone(Path dir, String classpath) throws Exception {
        ClassDataArchive next = archive(dir, classpath);
        assertThat(next.training()).isFalse();
        assertThat(next.flags()).singleElement().asString().startsWith(MAP);
        assertThat(java(next, classpath, "-Xshare:on")).isZero();
        assertThat(files(dir)).containsExactlyInAnyOrder(archiveOf(next).getFileName().toString(),
                archiveOf(next).getFileName() + ".stamp");
    }

    private static Path trained(Path dir, String classpath) throws Exception {
        ClassDataArchive run = archive(dir, classpath);
        assertThat(java(run, classpath)).isZero();
        run.finish(0);
        Path archive = archiveOf(archive(dir, classpath));
        assertThat(archive).exists();
        return archive;
    }

    private static Path archiveOf(ClassDataArchive mapped) {
        return Path.of(mapped.flags().get(0).substring(MAP.length()));
    }

    private static List<String> files(Path dir) throws Exception {
        return names(dir.resolve("cache"));
    }

    static Path jar(Path dir, String name) throws Exception {
        return Files.write(dir.resolve(name), new byte[]{1});
    }
}
