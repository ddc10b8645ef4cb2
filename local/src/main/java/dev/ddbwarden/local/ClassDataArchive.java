package dev.ddbwarden.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * An application class-data (AppCDS) archive for the handler JVM that {@code ./warden invoke} starts: the
 * classes a run loaded, parsed and verified, mapped ready-made by every later run (about half of a cold
 * start). JDK 17 cannot create one on demand (-XX:+AutoCreateSharedArchive is JDK 19+), so the first run
 * for a given JVM build, flags and classpath trains it with -XX:ArchiveClassesAtExit and later runs map it
 * with -XX:SharedArchiveFile. The key in the file name covers all three, so another JVM or a rebuilt jar
 * gets an archive of its own (and the JVM itself refuses an archive made by another build or classpath).
 *
 * <p>A broken archive must never break a run, and the JVM crashes on a truncated one: a training run
 * writes to a file of its own, renamed into place only once the run succeeded; a stamp beside it records
 * its size and modification time, and an archive that no longer matches its stamp is deleted and trained
 * again. The JVM's own checksum check (-XX:+VerifySharedSpaces) would also catch a file changed in place
 * behind an unchanged time, but costs ~50 ms of CPU per start (bench/cold-start's setup); instead an
 * archive is deleted after a run that crashed while mapping it, so the next run trains a fresh one. The
 * ./warden script does the same for its own (launcher) JVM.
 */
final class ClassDataArchive {
    private static final String SUFFIX = ".jsa";
    private static final String STAMP = ".stamp";
    /** Exit statuses above this one mean the process was killed by a signal (128 + its number). */
    private static final int SIGNALLED = 128;

    private final Path archive;
    /** Where this run's training writes, or null when the run maps an archive (or has none). */
    private final Path training;

    private ClassDataArchive(Path archive, Path training) {
        this.archive = archive;
        this.training = training;
    }

    /** {@code $XDG_CACHE_HOME/ddb-warden}, else {@code ~/.cache/ddb-warden}: the script's directory too. */
    static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
        return base.resolve("ddb-warden");
    }

    /**
     * The archive named {@code name} for a JVM started with {@code jvmFlags} on {@code classpath}: mapped
     * when an intact one exists, else trained by this run. None when the classpath holds anything but jar
     * files (the JVM refuses to write an archive then, and fails the run) or the directory is unusable.
     */
    static ClassDataArchive of(Path directory, String name, List<String> jvmFlags, String classpath) {
        try {
            List<Path> entries = new ArrayList<>();
            for (String entry : classpath.split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
                    return new ClassDataArchive(null, null);
                }
                entries.add(path);
            }
            String prefix = name + "-" + key(jvmFlags, classpath, entries);
            Path archive = directory.resolve(prefix + SUFFIX);
            if (intact(archive)) {
                return new ClassDataArchive(archive, null);
            }
            Files.createDirectories(directory);
            Files.deleteIfExists(archive);
            Path training = directory.resolve(prefix + "." + ProcessHandle.current().pid() + ".tmp");
            // Proven writable first: a JVM that cannot write its archive at exit fails the whole run.
            Files.write(training, new byte[0]);
            return new ClassDataArchive(archive, training);
        } catch (IOException | RuntimeException e) {
            System.err.println("warden: no class-data archive this run: " + e);
            return new ClassDataArchive(null, null);
        }
    }

    /** The JVM flags that map or train the archive; none without one. */
    List<String> flags() {
        if (archive == null) {
            return List.of();
        }
        if (training != null) {
            // Writing it, the JVM names every class it cannot archive: no news to the user.
            return List.of("-XX:ArchiveClassesAtExit=" + training, "-Xlog:cds*=off:stderr");
        }
        return List.of("-XX:SharedArchiveFile=" + archive);
    }

    boolean training() {
        return training != null;
    }

    /**
     * After the JVM exited with {@code status}: a training run that succeeded puts its archive in place (and
     * removes the archives of older keys under the same name), any other leaves nothing behind; a JVM that
     * crashed (killed by a signal) takes the archive it mapped with it.
     */
    void finish(int status) {
        boolean crashed = status > SIGNALLED;
        try {
            if (training == null) {
                if (archive != null && crashed) {
                    Files.deleteIfExists(stampOf(archive));
                    Files.deleteIfExists(archive);
                }
                return;
            }
            if (status == 0 && Files.isRegularFile(training) && Files.size(training) > 0) {
                Files.writeString(stampOf(archive), stamp(training));
                Files.move(training, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                removeOlder();
            }
            Files.deleteIfExists(training);
        } catch (IOException e) {
            System.err.println("warden: class-data archive not kept: " + e);
        }
    }

    private void removeOlder() throws IOException {
        String keyed = archive.getFileName().toString();
        String name = keyed.substring(0, keyed.lastIndexOf('-') + 1);
        try (DirectoryStream<Path> others = Files.newDirectoryStream(archive.getParent(), name + "*")) {
            for (Path other : others) {
                String file = other.getFileName().toString();
                if (!file.equals(keyed) && !file.equals(keyed + STAMP) && !file.endsWith(".tmp")) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    /** An archive is used only as it was written: same size, same modification time. */
    private static boolean intact(Path archive) throws IOException {
        Path stamp = stampOf(archive);
        if (!Files.isRegularFile(archive) || !Files.isRegularFile(stamp)) {
            return false;
        }
        if (Files.readString(stamp).equals(stamp(archive))) {
            return true;
        }
        Files.deleteIfExists(stamp);
        Files.deleteIfExists(archive);
        return false;
    }

    private static String stamp(Path file) throws IOException {
        return Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
    }

    private static Path stampOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + STAMP);
    }

    /** The exact JVM build, its flags, the classpath and each jar's size and modification time. */
    private static String key(List<String> jvmFlags, String classpath, List<Path> jars) throws IOException {
        StringBuilder text = new StringBuilder()
                .append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(String.join(" ", jvmFlags)).append('\n')
                .append(classpath).append('\n');
        for (Path jar : jars) {
            text.append(stamp(jar)).append('\n');
        }
        // A cache key, not a security check: the JVM validates the archive against its build and classpath.
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
