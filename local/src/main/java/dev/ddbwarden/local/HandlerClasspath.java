package dev.ddbwarden.local;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The classpath of the JVM that {@code ./warden invoke} starts for a handler: the artifact the deployment
 * ships (functions/warden/target/lambda/lib/warden.jar, what {@code sam build} copies), so that a local run
 * executes what Lambda would, plus the jar holding {@link LambdaBootstrap}. One jar instead of the runner's
 * seventy also starts faster: every resource lookup (SLF4J's and Log4j's service discovery) opens each jar
 * on the path (bench/cold-start). When the artifact is missing or older than the functions module's jar
 * on the launcher's classpath, or that classpath holds the module's classes as a directory (a build that
 * stopped before {@code package}), the launcher's own classpath is used, as before.
 */
record HandlerClasspath(String value, boolean artifact) {
    static final Path ARTIFACT = Path.of("functions", "warden", "target", "lambda", "lib", "warden.jar");
    private static final Path MODULE_TARGET = Path.of("functions", "warden", "target");

    static HandlerClasspath choose(Path root) {
        return choose(root, System.getProperty("java.class.path"), bootstrapLocation());
    }

    static HandlerClasspath choose(Path root, String launcherClasspath, Path bootstrap) {
        Path artifact = root.resolve(ARTIFACT);
        Path target = root.resolve(MODULE_TARGET).toAbsolutePath().normalize();
        List<Path> moduleEntries = List.of(launcherClasspath.split(File.pathSeparator)).stream()
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize())
                .filter(entry -> entry.startsWith(target))
                .toList();
        if (bootstrap == null || !Files.isRegularFile(bootstrap) || !Files.isRegularFile(artifact) || moduleEntries.isEmpty()) {
            return new HandlerClasspath(launcherClasspath, false);
        }
        try {
            long built = Files.getLastModifiedTime(artifact).toMillis();
            for (Path entry : moduleEntries) {
                if (!Files.isRegularFile(entry) || Files.getLastModifiedTime(entry).toMillis() > built) {
                    return new HandlerClasspath(launcherClasspath, false);
                }
            }
        } catch (IOException e) {
            return new HandlerClasspath(launcherClasspath, false);
        }
        return new HandlerClasspath(artifact + File.pathSeparator + bootstrap, true);
    }

    /** The jar (or directory) LambdaBootstrap was loaded from; only a jar can join a class-data archive. */
    private static Path bootstrapLocation() {
        try {
            return Path.of(LambdaBootstrap.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }
}
