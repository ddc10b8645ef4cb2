package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ddbwarden.config.EnvVar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the deployable artifact as Lambda would, against a moto_server on loopback: for every function in
 * template.yaml, one fresh JVM whose classpath is the artifact's task root and its lib/*.jar (the Java
 * runtime's classpath) plus {@link ContainerBootstrap} alone; it initializes the handler, primes it and
 * handles every file in events/ that the template's patterns route to the function (the sweep's function
 * gets a start, a page and a finish). Each JVM logs the classes it loads, so the report also says which
 * jars of the artifact any path loads from. CloudTrail's LookupEvents, which moto_server lacks, is answered
 * by a {@link LocalTrail} holding the record of every event but the forged one, so that the approved
 * decommission is confirmed through the artifact's own CloudTrail client. Used by DeployedArtifactIT and
 * bench/footprint.
 *
 * <p>Usage: {@code ArtifactRun TASK_ROOT OUT_DIR}; prints the report as JSON.
 */
public final class ArtifactRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far more than one container's init, priming and a dozen events take. */
    private static final int TIMEOUT_SECONDS = 240;
    private static final String SWEEP_ID = "artifact-run";
    private static final Pattern CLASS_LOAD = Pattern.compile("\\] (\\S+) source: (?:file:)?(\\S+\\.jar|\\S+/)$");
    /** The tables the events name, unprotected, and those whose policies they write, protected. */
    private static final List<String> UNPROTECTED = List.of("orders", "payments", "orders-restored", "imported-orders",
            "invoices", "customers", "sessions", "audit-log", "legacy-sessions", "billing-archive");
    private static final List<String> SHARED = List.of("shared-reports", "partner-feed", "org-analytics");
    private static final String FORBIDDEN_REGION = "ap-southeast-2";
    private static final String FORBIDDEN_TABLE = "customer-copy";
    /** The principal whose decommissions stand once CloudTrail confirms them. */
    private static final String APPROVED_ROLE = "arn:aws:iam::" + LocalAws.ACCOUNT + ":role/dba-decommission";
    /** The one event CloudTrail never recorded: it reuses another's event ID and claims otherwise. */
    private static final String FORGED = "update-table-forged-decommission.json";

    /** What one function's process did: its exit status, one JSON line per step, and the classes it loaded per jar. */
    public record FunctionRun(String function, int exitStatus, List<JsonNode> steps, Map<String, Set<String>> classesByJar,
                              String stderr) {
    }

    private ArtifactRun() {
    }

    public static void main(String[] args) throws Exception {
        List<FunctionRun> runs;
        try (MotoServer moto = MotoServer.start(); LocalTrail trail = LocalTrail.start()) {
            LocalAws.pointAt(moto.endpoint());
            runs = run(Path.of(System.getProperty("ddbwarden.root", ".")), Path.of(args[0]), Path.of(args[1]), moto.endpoint(),
                    trail);
        }
        ArrayNode report = JSON.createArrayNode();
        for (FunctionRun run : runs) {
            ObjectNode node = report.addObject().put("function", run.function()).put("exitStatus", run.exitStatus());
            node.set("steps", JSON.valueToTree(run.steps()));
            ObjectNode jars = node.putObject("classesByJar");
            run.classesByJar().forEach((jar, classes) -> jars.put(jar, classes.size()));
            if (run.exitStatus() != 0) {
                node.put("stderr", run.stderr());
            }
        }
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }

    /**
     * Runs every function of {@code root}'s template on the artifact unpacked at {@code taskRoot}, against the
     * local AWS at {@code endpoint}, at which this JVM's SDK clients must already point ({@link LocalAws#pointAt}),
     * and CloudTrail's event history at {@code trail}, which is given the events' records; logs go to {@code out}.
     */
    static List<FunctionRun> run(Path root, Path taskRoot, Path out, String endpoint, LocalTrail trail) throws Exception {
        Files.createDirectories(out);
        Template template = Template.read(root.resolve("template.yaml"));
        EventRoutes routes = EventRoutes.of(template);
        String classpath = classpath(taskRoot, out.resolve("bootstrap"));
        List<FunctionRun> runs = new ArrayList<>();
        Map<String, String> shell = estate(template, endpoint);
        shell.put("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.endpoint());
        Map<String, List<Path>> events = events(root, routes, out.resolve("events"), trail);
        for (String id : template.functionIds()) {
            FunctionSpec function = template.function(id).orElseThrow();
            List<Path> files = events.getOrDefault(id, List.of());
            if (template.eventPatterns(id).isEmpty()) {
                files = sweepRequests(out.resolve("events"));
            }
            runs.add(launch(function, Invoke.environment(template, function, Map.of(), null, shell), classpath, files, out));
        }
        return runs;
    }

    /**
     * An estate every event finds its table in, the settings parameter as the stack would write it (which the
     * functions read as deployed, through the artifact's own SSM client), and the environment that points the
     * functions at both.
     */
    private static Map<String, String> estate(Template template, String endpoint) throws Exception {
        Map<String, String> shell = new LinkedHashMap<>();
        try (LocalEstate estate = new LocalEstate(); LocalEstate sydney = estate.inRegion(FORBIDDEN_REGION)) {
            SettingsParameter settings = SettingsParameter.of(template, new TemplateValues(template.parameters(), Map.of(
                    "AllowedRegions", LocalAws.REGION,
                    "TrustedAccounts", "444455556666",
                    "TrustedOrgIds", "o-trusted1234",
                    "ApprovedPrincipals", APPROVED_ROLE,
                    "SweepReportOnly", "false"), LocalAws.REGION, LocalAws.ACCOUNT)).orElseThrow();
            settings.putInto(estate.ssm());
            shell.put(EnvVar.SETTINGS_PARAMETER, settings.name());
            shell.put("ALERT_TOPIC_ARN", estate.createAlertTopic());
            estate.createLedger();
            UNPROTECTED.forEach(table -> estate.createTable(table, false));
            SHARED.forEach(table -> estate.createTable(table, true));
            sydney.createTable(FORBIDDEN_TABLE, false);
            sydney.putItems(FORBIDDEN_TABLE, 5);
            shell.put("RECHECK_QUEUE_URL", estate.createQueue("ddb-warden-recheck"));
        }
        shell.put("LEDGER_TABLE", LocalEstate.LEDGER);
        shell.put("AWS_ENDPOINT_URL", endpoint);
        shell.put("AWS_REGION", LocalAws.REGION);
        shell.put("AWS_ACCESS_KEY_ID", "testing");
        shell.put("AWS_SECRET_ACCESS_KEY", "testing");
        return shell;
    }

    /**
     * Each file in events/ under the functions the template routes it to. A policy write is made first, so
     * that the event carries the revision the estate really has (as CloudTrail would have recorded it); the
     * event as delivered is what {@code trail} holds, but for the forged one.
     */
    private static Map<String, List<Path>> events(Path root, EventRoutes routes, Path dir, LocalTrail trail) throws Exception {
        Files.createDirectories(dir);
        Map<String, List<Path>> byFunction = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(root.resolve("events"))) {
            files = listing.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("routing.json"))
                    .sorted().toList();
        }
        try (LocalEstate estate = new LocalEstate()) {
            for (Path file : files) {
                String event = Files.readString(file);
                String eventName = JSON.readTree(event).path("detail").path("eventName").asText();
                if ("PutResourcePolicy".equals(eventName) && !JSON.readTree(event).path("detail").has("errorCode")) {
                    event = replayed(estate, event);
                }
                if (!FORGED.equals(file.getFileName().toString())) {
                    trail.record(event);
                }
                Path copy = dir.resolve(file.getFileName());
                Files.writeString(copy, event);
                for (String function : routes.functionsFor(event)) {
                    byFunction.computeIfAbsent(function, f -> new ArrayList<>()).add(copy);
                }
            }
        }
        return byFunction;
    }

    /** The event with the estate's revision, or as it is when the write cannot be made here (a stream's policy). */
    private static String replayed(LocalEstate estate, String event) {
        try {
            return estate.replayPolicyWrite(event);
        } catch (Exception e) {
            return event;
        }
    }

    /** What the sweep's state machine sends: start, one page of the home region, finish. */
    private static List<Path> sweepRequests(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        String[] requests = {
            "{\"action\": \"start\", \"sweepId\": \"" + SWEEP_ID + "\"}",
            "{\"action\": \"page\", \"sweepId\": \"" + SWEEP_ID + "\", \"region\": \"" + LocalAws.REGION + "\", \"reportOnly\": false}",
            "{\"action\": \"finish\", \"sweepId\": \"" + SWEEP_ID + "\", \"reportOnly\": false}"};
        String[] names = {"sweep-start.json", "sweep-page.json", "sweep-finish.json"};
        for (int i = 0; i < requests.length; i++) {
            files.add(Files.writeString(dir.resolve(names[i]), requests[i]));
        }
        return files;
    }

    /** The task root, its lib/*.jar, then a directory holding only ContainerBootstrap and LocalContext. */
    private static String classpath(Path taskRoot, Path bootstrap) throws IOException {
        if (!Files.isDirectory(taskRoot)) {
            throw new IllegalArgumentException("no artifact at " + taskRoot);
        }
        List<String> entries = new ArrayList<>(List.of(taskRoot.toString()));
        Path lib = taskRoot.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
            }
        }
        for (Class<?> type : List.of(ContainerBootstrap.class, LocalContext.class)) {
            String resource = type.getName().replace('.', '/') + ".class";
            Path target = bootstrap.resolve(resource);
            Files.createDirectories(target.getParent());
            try (InputStream in = ArtifactRun.class.getClassLoader().getResourceAsStream(resource)) {
                Files.write(target, in.readAllBytes());
            }
        }
        entries.add(bootstrap.toString());
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static FunctionRun launch(FunctionSpec function, Map<String, String> environment, String classpath,
                                      List<Path> events, Path out) throws IOException, InterruptedException {
        Path classLog = out.resolve(function.logicalId() + ".classes.log");
        Path stdout = out.resolve(function.logicalId() + ".out");
        Path stderr = out.resolve(function.logicalId() + ".err");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmOptions.FAST_START);
        command.add("-Xmx" + function.memoryMb() * 3 / 4 + "m");
        command.add("-Xlog:class+load:file=" + classLog);
        command.addAll(List.of("-cp", classpath, ContainerBootstrap.class.getName(), function.handler(), function.logicalId(),
                String.valueOf(function.memoryMb()), String.valueOf(function.timeoutSeconds())));
        events.forEach(e -> command.add(e.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                steps.add(JSON.readTree(line));
            }
        }
        return new FunctionRun(function.logicalId(), process.isAlive() ? -1 : process.exitValue(), steps,
                classesByJar(classLog), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** The class-load log's application classes, by the jar (or directory) each came from. */
    static Map<String, Set<String>> classesByJar(Path classLog) throws IOException {
        Map<String, Set<String>> byJar = new TreeMap<>();
        if (!Files.exists(classLog)) {
            return byJar;
        }
        for (String line : Files.readAllLines(classLog, StandardCharsets.UTF_8)) {
            Matcher m = CLASS_LOAD.matcher(line);
            if (m.find()) {
                byJar.computeIfAbsent(Path.of(m.group(2)).getFileName().toString(), j -> new TreeSet<>()).add(m.group(1));
            }
        }
        return byJar;
    }
}
