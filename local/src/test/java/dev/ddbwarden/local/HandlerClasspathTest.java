package dev.ddbwarden.local;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HandlerClasspathTest {
    @TempDir
    Path root;
    private Path artifact;
    private Path moduleJar;
    private Path bootstrap;
    private String launcher;

    @BeforeEach
    void build() throws IOException {
        moduleJar = touch(root.resolve("functions/warden/target/warden-0.1.0-SNAPSHOT.jar"), 1_000);
        artifact = touch(root.resolve(HandlerClasspath.ARTIFACT), 2_000);
        bootstrap = touch(root.resolve("local/target/runner/warden-local-runner.jar"), 2_000);
        Path sdk = touch(root.resolve("m2/dynamodb-2.57.8.jar"), 500);
        launcher = String.join(File.pathSeparator, bootstrap.toString(), moduleJar.toString(), sdk.toString());
    }

    @Test
    void aCurrentArtifactIsWhatTheHandlerRuns() {
        HandlerClasspath chosen = HandlerClasspath.choose(root, launcher, bootstrap);
        assertThat(chosen.artifact()).isTrue();
        assertThat(chosen.value()).isEqualTo(artifact + File.pathSeparator + bootstrap);
    }

    @Test
    void anArtifactOlderThanTheModulesJarIsNotUsed() throws IOException {
        touch(moduleJar, 3_000);
        assertThat(HandlerClasspath.choose(root, launcher, bootstrap)).isEqualTo(new HandlerClasspath(launcher, false));
    }

    @Test
    void classesLeftByABuildThatStoppedBeforePackageAreNotSkipped() throws IOException {
        Path classes = Files.createDirectories(root.resolve("functions/warden/target/classes"));
        String withClasses = launcher.replace(moduleJar.toString(), classes.toString());
        assertThat(HandlerClasspath.choose(root, withClasses, bootstrap)).isEqualTo(new HandlerClasspath(withClasses, false));
    }

    @Test
    void withoutAnArtifactTheLaunchersClasspathServes() throws IOException {
        Files.delete(artifact);
        assertThat(HandlerClasspath.choose(root, launcher, bootstrap)).isEqualTo(new HandlerClasspath(launcher, false));
    }

    @Test
    void aBootstrapOutsideAJarKeepsTheLaunchersClasspath() throws IOException {
        Path directory = Files.createDirectories(root.resolve("local/target/classes"));
        assertThat(HandlerClasspath.choose(root, launcher, directory).artifact()).isFalse();
        assertThat(HandlerClasspath.choose(root, launcher, null).artifact()).isFalse();
    }

    private static Path touch(Path file, long secondsAfterEpoch) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.write(file, new byte[] {1});
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(secondsAfterEpoch)));
        return file;
    }
}
