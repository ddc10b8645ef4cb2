package dev.ddbwarden.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./warden} run as a person runs it, in a process of its own, pointed at the tests' moto_server
 * with the SDK's standard variables and nothing else of this JVM's making.
 */
final class WardenProcess {

    /** What the process ended with. */
    record Run(int status, String stdout, String stderr) {
    }

    private WardenProcess() {
    }

    /**
     * @param unset variables of the developer's environment that would change the outcome
     * @param env   the settings the test gives, after the endpoint and credentials
     */
    static Run run(String endpoint, Collection<String> unset, Map<String, String> env, Duration limit, String... args)
            throws IOException, InterruptedException {
        IntegrationOnly.require("./warden as a process");
        List<String> command = new ArrayList<>(List.of(Project.ROOT.resolve("warden").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        unset.forEach(environment::remove);
        environment.put("AWS_ENDPOINT_URL", endpoint);
        environment.put("AWS_REGION", LocalAws.REGION);
        environment.put("AWS_ACCESS_KEY_ID", "testing");
        environment.put("AWS_SECRET_ACCESS_KEY", "testing");
        environment.putAll(env);
        Path out = Files.createTempFile("warden-out", ".txt");
        Path err = Files.createTempFile("warden-err", ".txt");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("./warden " + String.join(" ", args) + " did not finish in " + limit.toSeconds() + " s");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
