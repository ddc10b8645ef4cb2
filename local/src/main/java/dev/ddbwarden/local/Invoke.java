package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbwarden.config.EnvVar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./warden invoke FUNCTION -e EVENT.json [--env-vars FILE.json] [-t template.yaml]
 * [--parameter-overrides "Key=Value ..."]}: the arguments of {@code sam local invoke}, run in a fresh
 * JVM without Docker. Endpoints come from the SDK's own settings in the caller's shell.
 */
final class Invoke {
    private static final String DEFAULT_ACCOUNT = "123456789012";
    private static final long ARCHIVE_WRITE_SECONDS = 60;

    private Invoke() {
    }

    static int run(Path root, List<String> args) throws IOException, InterruptedException {
        Options options = Options.parse(root, args);
        Template template = Template.read(options.deployment.template);
        FunctionSpec function = template.function(options.function).orElse(null);
        if (function == null) {
            System.err.println("No AWS::Serverless::Function named '" + options.function + "' in " + options.deployment.template
                    + "; functions: " + template.functionIds());
            return 2;
        }
        Map<String, String> environment = environment(template, function, options);
        Path event = options.event;
        if (event == null) {
            event = Files.createTempFile("warden-event-", ".json");
            Files.writeString(event, "{}");
            event.toFile().deleteOnExit();
        }
        return launch(root, function, environment, event, HandlerClasspath.choose(root).value(), System.out,
                CommandCache.requested(options.event, options.deployment.template, options.deployment.envVars));
    }

    /**
     * The template's values (its settings parameter's lines among them), then the --env-vars file's (SAM's
     * format: per function, or under "Parameters" for all), then variables set in the shell: the last word is
     * the operator's.
     */
    static Map<String, String> environment(Template template, FunctionSpec function, Options options) throws IOException {
        return environment(template, function, options.deployment.parameterOverrides, options.deployment.envVars, System.getenv());
    }

    /**
     * A function's environment as a local run gives it: the template's values resolved with
     * {@code parameterOverrides}, then the {@code envVars} file's (may be null), then {@code shell}.
     * {@code ./warden invoke} and {@code ./warden replay-failures} both build their settings here.
     */
    static Map<String, String> environment(Template template, FunctionSpec function, Map<String, String> parameterOverrides,
                                           Path envVars, Map<String, String> shell) throws IOException {
        String region = shell.getOrDefault("AWS_REGION", shell.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        TemplateValues values = new TemplateValues(template.parameters(), parameterOverrides, region, DEFAULT_ACCOUNT);
        Map<String, String> declared = new LinkedHashMap<>();
        function.environment().forEach((name, value) -> declared.put(name, values.resolve(value)));
        // The settings parameter's lines, resolved here, are handed to the handler as variables (which it reads
        // when SETTINGS_PARAMETER is empty), so that --env-vars and the shell can set them like any other and a
        // local run never writes a parameter to whatever endpoint the shell names. A SETTINGS_PARAMETER set in
        // the shell (a deployed stack's, say) is read instead.
        SettingsParameter.of(template, values).ifPresent(parameter -> {
            declared.putAll(parameter.settings());
            declared.put(EnvVar.SETTINGS_PARAMETER, "");
        });
        if (envVars != null) {
            JsonNode file = new ObjectMapper().readTree(envVars.toFile());
            for (String scope : List.of("Parameters", function.logicalId())) {
                JsonNode section = file.path(scope);
                section.fields().forEachRemaining(e -> {
                    if (declared.containsKey(e.getKey())) {
                        declared.put(e.getKey(), e.getValue().asText());
                    }
                });
            }
        }
        Map<String, String> environment = new LinkedHashMap<>(declared);
        environment.putAll(shell);
        environment.putIfAbsent("AWS_REGION", region);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(function.memoryMb()));
        return environment;
    }

    /**
     * Runs {@code function} on {@code event} in a JVM of its own, as Lambda's Java runtime would, its result on
     * {@code out} and its logs on this process's standard error.
     *
     * @return the handler JVM's exit status: 0 when the handler returned
     */
    static int launch(Path root, FunctionSpec function, Map<String, String> environment, Path event, String classpath,
                      PrintStream out) throws IOException, InterruptedException {
        return launch(root, function, environment, event, classpath, out, null);
    }

    /** As above, the command line written to {@code cache} (when not null) for the script's next run. */
    private static int launch(Path root, FunctionSpec function, Map<String, String> environment, Path event, String classpath,
                              PrintStream out, CommandCache cache) throws IOException, InterruptedException {
        List<String> jvmFlags = new ArrayList<>(JvmOptions.FAST_START);
        jvmFlags.add("-Xmx" + function.memoryMb() * 3 / 4 + "m");
        ClassDataArchive archive = ClassDataArchive.of(ClassDataArchive.cacheDirectory(),
                "handler-" + function.logicalId() + "-" + ClassDataArchive.checkout(root), jvmFlags, classpath);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(archive.flags());
        command.add("-cp");
        command.add(classpath);
        command.add(LambdaBootstrap.class.getName());
        command.add(function.handler());
        command.add(event.toString());
        command.add(function.logicalId());
        command.add(String.valueOf(function.memoryMb()));
        command.add(String.valueOf(function.timeoutSeconds()));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO().redirectOutput(ProcessBuilder.Redirect.PIPE);
        String noise = archive.standardOutputNoise();
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        Thread copy = new Thread(() -> copyWithout(process, noise, out), "handler-stdout");
        copy.setDaemon(true);
        copy.start();
        // A training JVM may write what it recorded at exit (an AOT configuration), beyond the handler's own time.
        long limit = function.timeoutSeconds() + (archive.training() ? ARCHIVE_WRITE_SECONDS : 5L);
        if (!process.waitFor(limit, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            archive.finish(1);
            System.err.println("Task timed out after " + function.timeoutSeconds() + " seconds");
            return 1;
        }
        copy.join();
        archive.finishInBackground(process.exitValue());
        if (cache != null) {
            cache.remember(command, environment, limit, function.timeoutSeconds(), archive, process.exitValue());
        }
        return process.exitValue();
    }

    /** The handler's standard output, line by line, onto {@code out}, but for the JVM's own {@code noise} line (if any). */
    private static void copyWithout(Process process, String noise, PrintStream out) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.strip().equals(noise)) {
                    out.println(line);
                }
            }
            out.flush();
        } catch (IOException e) {
            System.err.println("warden: the handler's output was cut short: " + e);
        }
    }

    /** The command line, parsed. */
    static final class Options {
        String function;
        Path event;
        DeploymentFlags deployment;

        static Options parse(Path root, List<String> args) {
            Options options = new Options();
            options.deployment = new DeploymentFlags(root);
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int taken = options.deployment.take(args, i);
                if (taken >= 0) {
                    i = taken;
                } else if (arg.equals("-e") || arg.equals("--event")) {
                    options.event = Path.of(DeploymentFlags.value(args, ++i, arg));
                } else if (arg.startsWith("-") || options.function != null) {
                    throw new UsageException("unexpected argument '" + arg + "'");
                } else {
                    options.function = arg;
                }
            }
            if (options.function == null) {
                throw new UsageException("name the function to invoke, e.g. DeletionProtectionFunction");
            }
            return options;
        }
    }
}
