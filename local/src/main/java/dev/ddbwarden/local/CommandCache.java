package dev.ddbwarden.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The handler's command line that {@code ./warden invoke} ran, written down for the script, which runs it
 * again without starting this launcher JVM (a JVM start and the template's parsing: a third of an invoke's
 * wall and CPU, bench/RESULTS.md) as long as nothing it was made from has changed. The script names the entry by a hash of all it can
 * see that decides the command: the JVM, the build's jars, the checkout, the working directory, the
 * arguments and every environment variable; the entry names the rest, which only the launcher knows: the
 * files it read (the template, the --env-vars file) with their SHA-256, and the archive the handler JVM
 * maps with its stamp. The script runs the entry only when every file still hashes the same and the archive
 * still matches its stamp, else it starts the launcher, which writes the entry anew.
 *
 * <p>Only a run that mapped an intact archive and was not killed is written down: a training run's command
 * line is not the next run's, and a crash deletes the archive the entry would name.
 *
 * <p>The entry, NUL-separated, as the script reads it with {@code mapfile -d ''}: {@link #FORMAT}, the
 * seconds the handler may run before it is stopped, its timeout as the template gives it, the archive and its
 * stamp, the number of files then each file's path and hash, the number of variables then each
 * {@code NAME=value} of the handler's environment, then the command line.
 */
final class CommandCache {
    /** The system property by which the script names the entry this run may write. */
    static final String PROPERTY = "ddbwarden.commandCache";
    /** The entry's first field: an entry in another format is never run. */
    static final String FORMAT = "ddb-warden invoke 1";

    private final Path entry;
    private final List<Path> read;

    private CommandCache(Path entry, List<Path> read) {
        this.entry = entry;
        this.read = read;
    }

    /**
     * The cache this run writes to, or null: when the script asked for none, or when the command line names
     * a file of this run's making (no event given: an empty one, deleted at exit).
     *
     * @param read the files the launcher read to build the command line; null entries are skipped
     */
    static CommandCache requested(Path event, Path... read) {
        return at(System.getProperty(PROPERTY), event, read);
    }

    static CommandCache at(String entry, Path event, Path... read) {
        if (entry == null || entry.isBlank() || event == null) {
            return null;
        }
        return new CommandCache(Path.of(entry), Stream.of(read).filter(Objects::nonNull)
                .map(file -> file.toAbsolutePath().normalize()).toList());
    }

    /**
     * Writes the entry for a handler run that ended with {@code status}, started with {@code command} and
     * {@code environment} and stopped after {@code limitSeconds}, mapping {@code archive}. A failure to write
     * costs the next run its shortcut, nothing else.
     */
    void remember(List<String> command, Map<String, String> environment, long limitSeconds, int timeoutSeconds,
                  ClassDataArchive archive, int status) {
        Path mapped = archive.mapped();
        if (mapped == null || status > ClassDataArchive.SIGNALLED) {
            return;
        }
        Path written = entry.resolveSibling(entry.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            List<String> fields = new ArrayList<>(List.of(FORMAT, String.valueOf(limitSeconds), String.valueOf(timeoutSeconds),
                    mapped.toString(), ClassDataArchive.stamp(mapped), String.valueOf(read.size())));
            for (Path file : read) {
                fields.add(file.toString());
                fields.add(sha256(file));
            }
            fields.add(String.valueOf(environment.size()));
            environment.forEach((name, value) -> fields.add(name + "=" + value));
            fields.addAll(command);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String field : fields) {
                bytes.writeBytes(field.getBytes(StandardCharsets.UTF_8));
                bytes.write(0);
            }
            Files.write(written, bytes.toByteArray());
            Files.move(written, entry, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            System.err.println("warden: the command line is not kept for the next run: " + e);
        } finally {
            try {
                Files.deleteIfExists(written);
            } catch (IOException e) {
                System.err.println("warden: " + written + " is left behind: " + e);
            }
        }
    }

    /** The file's SHA-256 in hex, as {@code sha256sum} prints it. */
    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
