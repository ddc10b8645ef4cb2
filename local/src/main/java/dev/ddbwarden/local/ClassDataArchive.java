package dev.ddbwarden.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * A class-data archive for the handler JVM that {@code ./warden invoke} starts: the classes a run loaded,
 * parsed and verified (and, on JDK 25 and later, linked, with their methods' profiles), mapped ready-made by
 * every later run (about half of a cold start). The first run for a given JVM build, flags and classpath
 * trains it, later runs map it: a static AppCDS archive before JDK 25, an AOT cache from JDK 25 on, each made
 * in three steps ({@link ArchiveFormat}). The key in the file name covers JVM, flags and classpath, so another
 * JVM or a rebuilt jar gets an archive of its own (and the JVM itself refuses an archive made by another build
 * or classpath).
 *
 * <p>A broken archive must never break a run, and the JVM crashes on a truncated one: a training run
 * writes to a file of its own, renamed into place only once the run succeeded; a stamp beside it records
 * its size and modification time, and an archive that no longer matches its stamp is deleted and trained
 * again. The JVM's own checksum check (-XX:+VerifySharedSpaces) would also catch a file changed in place
 * behind an unchanged time, but costs ~50 ms of CPU per start (bench/cold-start's setup); instead an
 * archive is deleted after a run that crashed while mapping it, so the next run trains a fresh one. The
 * ./warden script does the same for its own (launcher) JVM. Both create the archive in the background
 * once the command has answered ({@link #finishInBackground}).
 */
final class ClassDataArchive {
    private static final String STAMP = ".stamp";
    /** How long the JVM that creates the archive from what the training run recorded may take. */
    private static final long CREATE_SECONDS = 120;
    /** When a training file is surely left over: see {@link #removeLeftovers}. */
    static final Duration ABANDONED = Duration.ofHours(1);
    /** When an archive is removed by the next training, whoever made it: see {@link #removeLeftovers}. */
    static final Duration EXPIRED = Duration.ofDays(30);
    /** Exit statuses above this one mean the process was killed by a signal (128 + its number). */
    static final int SIGNALLED = 128;

    private static final ClassDataArchive NONE = new ClassDataArchive(null, null, null, List.of(), "");

    private final Path archive;
    /** Where this run's training writes, or null when the run maps an archive (or has none). */
    private final Path training;
    private final ArchiveFormat format;
    private final List<String> jvmFlags;
    private final String classpath;

    private ClassDataArchive(Path archive, Path training, ArchiveFormat format, List<String> jvmFlags, String classpath) {
        this.archive = archive;
        this.training = training;
        this.format = format;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.classpath = classpath;
    }

    /** {@code $XDG_CACHE_HOME/ddb-warden}, else {@code ~/.cache/ddb-warden}: the script's directory too. */
    static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
        return base.resolve("ddb-warden");
    }

    /**
     * The checkout a run belongs to, as a short hash of its root directory, for archive names. Archives of one
     * name replace each other (the newest key wins), so two clones or worktrees sharing the cache under one
     * name would each remove the other's archive and train again on every other run. The ./warden script
     * names its launcher archives the same way.
     */
    static String checkout(Path root) {
        CRC32 crc = new CRC32();
        crc.update(root.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    /**
     * The archive named {@code name} for a JVM started with {@code jvmFlags} on {@code classpath}: mapped
     * when an intact one exists, else trained by this run. None when the classpath holds anything but jar
     * files (the JVM refuses to archive classes from a directory) or the directory is unusable.
     */
    static ClassDataArchive of(Path directory, String name, List<String> jvmFlags, String classpath) {
        return of(directory, name, jvmFlags, classpath, ArchiveFormat.forRelease(Runtime.version().feature()));
    }

    static ClassDataArchive of(Path directory, String name, List<String> jvmFlags, String classpath, ArchiveFormat format) {
        try {
            List<Path> entries = new ArrayList<>();
            for (String entry : classpath.split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(path)) {
                    return NONE;
                }
                entries.add(path);
            }
            String prefix = name + "-" + key(jvmFlags, classpath, entries);
            Path archive = directory.resolve(prefix + format.suffix);
            if (intact(archive)) {
                return new ClassDataArchive(archive, null, format, jvmFlags, classpath);
            }
            Files.createDirectories(directory);
            Files.deleteIfExists(archive);
            removeLeftovers(directory);
            Path training = directory.resolve(prefix + "." + ProcessHandle.current().pid() + ".tmp");
            // Proven writable first: a training JVM that cannot write its recording reports errors at exit.
            Files.write(training, new byte[0]);
            return new ClassDataArchive(archive, training, format, jvmFlags, classpath);
        } catch (IOException | RuntimeException e) {
            System.err.println("warden: no class-data archive this run: " + e);
            return NONE;
        }
    }

    /** The JVM flags that map or train the archive; none without one. */
    List<String> flags() {
        if (archive == null) {
            return List.of();
        }
        return training != null ? format.record(recording()) : format.map(archive);
    }

    /** A line of the JVM's on this run's standard output that must not reach the caller; null when none. */
    String standardOutputNoise() {
        return training != null ? format.standardOutputNoise(recording()) : null;
    }

    boolean training() {
        return training != null;
    }

    /** The archive this run maps, or null when it trains one or has none. */
    Path mapped() {
        return training == null ? archive : null;
    }

    /**
     * As {@link #finish}, but a training run that succeeded has its archive created by a JVM of its own that
     * outlives this one: creating it takes seconds (a static archive's dump ~3 s), which the caller need not
     * wait for, since only later runs map it. A run that starts before it is in place trains its own. The
     * training files (*.tmp, *.tmp.rec) stay in the cache until the creation is done.
     */
    void finishInBackground(int status) {
        if (training == null || status != 0) {
            finish(status);
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(JvmOptions.FAST_START);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClassDataArchive.class.getName(),
                format.name(), archive.toString(), training.toString(), classpath));
        command.addAll(jvmFlags);
        try {
            new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            System.err.println("warden: class-data archive not created: " + e);
            finish(1);
        }
    }

    /** The background creation {@link #finishInBackground} starts: format, archive, training, classpath, flags. */
    public static void main(String[] args) {
        List<String> jvmFlags = List.of(args).subList(4, args.length);
        new ClassDataArchive(Path.of(args[1]), Path.of(args[2]), ArchiveFormat.valueOf(args[0]), jvmFlags, args[3]).finish(0);
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
            if (status == 0) {
                create();
            }
            if (status == 0 && Files.isRegularFile(training) && Files.size(training) > 0) {
                Files.writeString(stampOf(archive), stamp(training));
                Files.move(training, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                removeOlder();
            }
            Files.deleteIfExists(training);
            Files.deleteIfExists(recording());
        } catch (IOException e) {
            System.err.println("warden: class-data archive not kept: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The archive, made from what the run recorded by a JVM of the same build, flags and classpath. */
    private void create() throws IOException, InterruptedException {
        Path recording = recording();
        if (!Files.isRegularFile(recording) || Files.size(recording) == 0) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmFlags);
        command.addAll(format.create(recording, training));
        command.addAll(List.of("-cp", classpath));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        boolean finished = process.waitFor(CREATE_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        if (!finished || process.exitValue() != 0) {
            // So that finish() keeps nothing a failed creation may have left half-written (and read-only).
            Files.deleteIfExists(training);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** What the training run records, from which the archive is created: a class list or an AOT configuration. */
    private Path recording() {
        return training.resolveSibling(training.getFileName() + ".rec");
    }

    /**
     * What a run that trains clears from the cache, whichever run or checkout left it:
     * <ul>
     * <li>training files no run or creation can still be using (a creation killed with its terminal's process
     * group leaves a half-written archive of tens of MB): older than {@link #ABANDONED}, the longest training
     * run (a Lambda timeout of 15 minutes) plus its creation;
     * <li>archives, stamps and command lines ({@link CommandCache}) made over {@link #EXPIRED} ago: a deleted
     * checkout's would otherwise stay forever, tens of MB each. One still in use is made again once; a JVM that
     * has it mapped keeps it.
     * </ul>
     */
    private static void removeLeftovers(Path directory) throws IOException {
        removeOlderThan(directory, "*.tmp*", ABANDONED);
        removeOlderThan(directory, "*.{jsa,aot,stamp,cmd}", EXPIRED);
    }

    private static void removeOlderThan(Path directory, String glob, Duration age) throws IOException {
        FileTime limit = FileTime.from(Instant.now().minus(age));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob)) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).compareTo(limit) < 0) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private void removeOlder() throws IOException {
        String keyed = archive.getFileName().toString();
        String name = keyed.substring(0, keyed.lastIndexOf('-') + 1);
        try (DirectoryStream<Path> others = Files.newDirectoryStream(archive.getParent(), name + "*")) {
            for (Path other : others) {
                String file = other.getFileName().toString();
                if (!file.equals(keyed) && !file.equals(keyed + STAMP) && !file.contains(".tmp")) {
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

    static String stamp(Path file) throws IOException {
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
