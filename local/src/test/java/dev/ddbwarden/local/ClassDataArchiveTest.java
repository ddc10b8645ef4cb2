package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static dev.ddbwarden.local.ClassDataArchiveIT.FLAGS;
import static dev.ddbwarden.local.ClassDataArchiveIT.archive;
import static dev.ddbwarden.local.ClassDataArchiveIT.jar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a run is told to do before any JVM starts: which old files the next training removes, and when a run
 * gets no archive. The runs themselves, each in a JVM of its own, are ClassDataArchiveIT's.
 */
class ClassDataArchiveTest {

    @Test
    void trainingFilesOlderThanAnyRunOrCreation_areRemovedByTheNextTraining(@TempDir Path dir) throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        // GIVEN a half-written archive a killed creation left, and the files of a training run still going
        Path abandoned = Files.write(cache.resolve("handler-G-0a1b.4242.tmp"), new byte[4096]);
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(ClassDataArchive.ABANDONED).minusSeconds(60)));
        Path running = Files.write(cache.resolve("handler-G-0a1b.4343.tmp.rec"), new byte[]{1});

        ClassDataArchive training = archive(dir, jar(dir, "a.jar").toString());

        assertThat(training.training()).isTrue();
        assertThat(abandoned).doesNotExist();
        assertThat(running).exists();
    }

    @Test
    void archivesMadeLongAgo_areRemovedByTheNextTraining_whicheverCheckoutMadeThem(@TempDir Path dir) throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        // GIVEN a deleted checkout's archive and stamp, made over the expiry ago, and another checkout's recent one
        FileTime old = FileTime.from(Instant.now().minus(ClassDataArchive.EXPIRED).minusSeconds(60));
        Path gone = Files.write(cache.resolve("handler-G-aaaa-0a1b.jsa"), new byte[4096]);
        Path goneStamp = Files.write(cache.resolve("handler-G-aaaa-0a1b.jsa.stamp"), new byte[]{1});
        Files.setLastModifiedTime(gone, old);
        Files.setLastModifiedTime(goneStamp, old);
        Path recent = Files.write(cache.resolve("handler-G-bbbb-0a1b.aot"), new byte[4096]);

        // WHEN a run trains
        ClassDataArchive training = archive(dir, jar(dir, "a.jar").toString());

        assertThat(training.training()).isTrue();
        assertThat(gone).doesNotExist();
        assertThat(goneStamp).doesNotExist();
        assertThat(recent).exists();
    }

    @Test
    void classpathWithADirectory_shouldRunWithoutArchive(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar") + java.io.File.pathSeparator + Files.createDirectories(dir.resolve("classes"));

        ClassDataArchive archive = archive(dir, classpath);

        assertThat(archive.flags()).isEmpty();
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void aotCacheTraining_shouldNameTheLineItsJvmPrintsOnStandardOutput(@TempDir Path dir) throws Exception {
        String classpath = jar(dir, "a.jar").toString();

        ClassDataArchive training = ClassDataArchive.of(dir.resolve("cache"), "handler-F", FLAGS, classpath,
                ArchiveFormat.AOT_CACHE);

        String configuration = training.flags().stream().filter(f -> f.startsWith("-XX:AOTConfiguration="))
                .map(f -> f.substring("-XX:AOTConfiguration=".length())).findFirst().orElseThrow();
        assertThat(training.flags()).contains("-XX:AOTMode=record");
        assertThat(training.standardOutputNoise()).isEqualTo("AOTConfiguration recorded: " + configuration);
    }
}
