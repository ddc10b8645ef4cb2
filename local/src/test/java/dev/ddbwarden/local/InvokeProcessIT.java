package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./warden invoke} as a user runs it: a process, pointed at moto_server by the SDK's standard
 * environment variables, with settings from the template, an --env-vars file and the shell.
 */
class InvokeProcessIT {
    private Harness harness;

    @BeforeEach
    void setUp() {
        harness = new Harness();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void invoke_shouldFixTheTable_andPrintTheResult(@TempDir Path dir) throws Exception {
        harness.estate.createTable("orders", false);
        Path envVars = dir.resolve("env.json");
        Files.writeString(envVars, "{\"DeletionProtectionFunction\": {\"LEDGER_TABLE\": \"" + LocalEstate.LEDGER
                + "\", \"ALERT_TOPIC_ARN\": \"" + harness.topicArn + "\"}}");

        WardenProcess.Run run = warden(Map.of(), "invoke", "DeletionProtectionFunction",
                "-e", Project.EVENTS.resolve("create-table-unprotected.json").toString(),
                "--env-vars", envVars.toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        JsonNode result = Harness.JSON.readTree(run.stdout());
        assertThat(result.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isTrue();
        assertThat(harness.estate.drainAlerts()).hasSize(1);
        assertThat(harness.estate.ledgerItems()).hasSize(1);
        assertThat(run.stderr()).contains("REPORT Init Duration");
    }

    @Test
    void invokePublicAccess_shouldTakeBackTheLeakingStatement(@TempDir Path dir) throws Exception {
        harness.estate.createTable("partner-feed", true);
        Path event = dir.resolve("event.json");
        Files.writeString(event, harness.estate.replayPolicyWrite(Project.event("put-resource-policy-cross-account.json")));

        WardenProcess.Run run = warden(Map.of("TRUSTED_ACCOUNTS", "444455556666"), "invoke", "PublicAccessFunction", "-e", event.toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Harness.JSON.readTree(run.stdout()).at("/results/0/severity").asText()).isEqualTo("HIGH");
        assertThat(harness.estate.policy("partner-feed").orElseThrow())
                .contains("444455556666").doesNotContain("999988887777");
    }

    @Test
    void invokeRegionGuard_shouldQuarantineATableInAnotherRegion() throws Exception {
        LocalEstate sydney = harness.estate.inRegion("ap-southeast-2");
        sydney.createTable("customer-copy", false);

        WardenProcess.Run run = warden(Map.of(), "invoke", "RegionGuardFunction",
                "-e", Project.EVENTS.resolve("create-table-forbidden-region.json").toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Harness.JSON.readTree(run.stdout()).at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(sydney.policy("customer-copy").orElseThrow()).contains("DdbWardenQuarantine");
        sydney.close();
    }

    /** The JDK the tests run on, and a JDK 25 or later when the machine has one: each keeps its own kind of archive. */
    static List<Path> javaHomes() throws IOException {
        List<Path> homes = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Runtime.version().feature() < 25 && Files.isDirectory(jvms)) {
            try (var dirs = Files.list(jvms)) {
                dirs.filter(dir -> dir.getFileName().toString().matches(".*-(2[5-9]|[3-9]\\d)(-.*)?") && Files.isExecutable(dir.resolve("bin/java")))
                        .sorted().findFirst().ifPresent(homes::add);
            }
        }
        return homes;
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void classDataArchives_shouldBeTrainedOnce_mappedAfter_andRebuiltWhenBroken(Path javaHome, @TempDir Path dir) throws Exception {
        String suffix = feature(javaHome) >= 25 ? ".aot" : ".jsa";
        Path cache = dir.resolve("cache");
        Path archives = cache.resolve("ddb-warden");
        String[] invoke = {"invoke", "DeletionProtectionFunction",
                "-e", Project.EVENTS.resolve("create-table-unprotected.json").toString()};
        harness.estate.createTable("orders", false);

        // GIVEN an empty cache, WHEN invoked: the run trains one archive per JVM, each beside its stamp
        // (standard output holds the result alone: nothing the JVM says while training reaches it)
        WardenProcess.Run first = warden(Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", javaHome.toString()), invoke);
        assertThat(first.status()).as(first.stderr()).isZero();
        assertThat(Harness.JSON.readTree(first.stdout()).at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(first.stdout().strip()).startsWith("{").endsWith("}").doesNotContain("\n");
        ClassDataArchiveIT.awaitCreations(archives, 150);
        assertThat(ClassDataArchiveIT.names(archives)).hasSize(4)
                // Named per checkout, so that another clone's runs do not replace them
                .anyMatch(n -> n.matches("launcher-invoke-\\d+-\\w+\\" + suffix))
                .anyMatch(n -> n.matches("handler-DeletionProtectionFunction-" + ClassDataArchive.checkout(Project.ROOT)
                        + "-\\w+\\" + suffix))
                .filteredOn(n -> n.endsWith(suffix + ".stamp")).hasSize(2);
        Map<Path, FileTime> trained = modified(archives);

        // WHEN invoked again (the table is protected now): both JVMs load their classes from the archives,
        // which stay as they were
        Path logs = Files.createDirectories(dir.resolve("logs"));
        WardenProcess.Run second = warden(Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", javaHome.toString(),
                "JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + logs.resolve("load-%p.log")), invoke);
        assertThat(second.status()).as(second.stderr()).isZero();
        assertThat(Harness.JSON.readTree(second.stdout()).at("/eventName").asText()).isEqualTo("CreateTable");
        List<String> loads = new java.util.ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.toList()) {
                loads.add(Files.readString(log));
            }
        }
        assertThat(loads).hasSize(2)
                .anyMatch(log -> log.contains("dev.ddbwarden.local.Main source: shared objects file"))
                .anyMatch(log -> log.contains("dev.ddbwarden.handler.WardenHandler source: shared objects file"))
                // one archive in place of the JDK's (a static one, or an AOT cache), not a dynamic "(top)" layer over it
                .allMatch(log -> log.contains("java.lang.Object source: shared objects file\n"))
                .noneMatch(log -> log.contains("source: shared objects file (top)"));
        assertThat(modified(archives)).isEqualTo(trained);

        // WHEN both archives are cut short (a JVM mapping such a file crashes): the run succeeds and trains them again
        for (Path archive : trained.keySet()) {
            if (archive.toString().endsWith(suffix)) {
                archive.toFile().setWritable(true);
                Files.write(archive, new byte[4096]);
            }
        }
        WardenProcess.Run third = warden(Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", javaHome.toString()), invoke);
        assertThat(third.status()).as(third.stderr()).isZero();
        assertThat(Harness.JSON.readTree(third.stdout()).at("/eventName").asText()).isEqualTo("CreateTable");
        ClassDataArchiveIT.awaitCreations(archives, 150);
        for (Path archive : trained.keySet()) {
            if (archive.toString().endsWith(suffix)) {
                assertThat(Files.size(archive)).as(archive.toString()).isGreaterThan(4096);
            }
        }
    }

    private static int feature(Path javaHome) throws IOException {
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return Integer.parseInt(line.replaceAll("^JAVA_VERSION=\"(\\d+).*", "$1"));
            }
        }
        throw new IllegalStateException("no JAVA_VERSION in " + javaHome.resolve("release"));
    }

    @Test
    void failedDump_shouldKeepNoArchive_andTheRunStillSucceeds(@TempDir Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() < 25, "the test's JDK keeps a static AppCDS archive");
        Path archives = Files.createDirectories(dir.resolve("cache").resolve("ddb-warden"));
        harness.estate.createTable("orders", false);

        // GIVEN a flag every JVM of the run takes but -Xshare:dump refuses, so that both dumps fail
        WardenProcess.Run run = warden(Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(),
                        "JAVA_HOME", System.getProperty("java.home"),
                        "JAVA_TOOL_OPTIONS", "-XX:ArchiveClassesAtExit=" + dir.resolve("elsewhere.jsa")),
                "invoke", "DeletionProtectionFunction", "-e", Project.EVENTS.resolve("create-table-unprotected.json").toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Harness.JSON.readTree(run.stdout()).at("/results/0/action").asText()).isEqualTo("FIXED");
        ClassDataArchiveIT.awaitCreations(archives, 150);
        assertThat(ClassDataArchiveIT.names(archives)).isEmpty();
    }

    @Test
    void unusableCache_shouldRunWithoutArchives(@TempDir Path dir) throws Exception {
        harness.estate.createTable("orders", false);
        Path notADirectory = Files.writeString(dir.resolve("file"), "");

        WardenProcess.Run run = warden(Map.of("XDG_CACHE_HOME", notADirectory.resolve("cache").toString()), "invoke",
                "DeletionProtectionFunction", "-e", Project.EVENTS.resolve("create-table-unprotected.json").toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Harness.JSON.readTree(run.stdout()).at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(run.stderr()).contains("no class-data archive this run");
    }

    /** The archives and their stamps, by when each was last written (the command lines beside them are not archives). */
    private static Map<Path, FileTime> modified(Path archives) throws IOException {
        Map<Path, FileTime> times = new java.util.TreeMap<>();
        try (var files = Files.list(archives)) {
            for (Path file : files.filter(f -> !f.toString().endsWith(".cmd")).toList()) {
                times.put(file, Files.getLastModifiedTime(file));
            }
        }
        return times;
    }

    @Test
    void commandLine_shouldBeRunWithoutTheLauncher_untilAVariableTheTemplateOrTheArchiveChanges(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path template = Files.copy(Project.ROOT.resolve("template.yaml"), dir.resolve("template.yaml"));
        String[] invoke = {"invoke", "DeletionProtectionFunction", "-t", template.toString(),
                "-e", Project.EVENTS.resolve("create-table-unprotected.json").toString()};
        // Every JVM says once on standard error that it picked this up: the count tells how many JVMs ran
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", System.getProperty("java.home"),
                "JAVA_TOOL_OPTIONS", "-Xshare:auto");
        harness.estate.createTable("orders", false);

        // GIVEN a run that trained the archives, and one that mapped them and wrote its command line down
        assertThat(invoke(env, invoke)).isEqualTo(new Invoked("FIXED", 2));
        ClassDataArchiveIT.awaitCreations(cache.resolve("ddb-warden"), 150);
        assertThat(invoke(env, invoke)).isEqualTo(new Invoked("FIXED", 2));

        // WHEN invoked again alike: the handler's JVM alone runs, and fixes the table as before
        assertThat(invoke(env, invoke)).isEqualTo(new Invoked("FIXED", 1));

        // WHEN a variable changes: the launcher runs again, and the handler sees the variable
        Map<String, String> notify = new java.util.HashMap<>(env);
        notify.put("REMEDIATION_MODE", "notify");
        assertThat(invoke(notify, invoke)).isEqualTo(new Invoked("NOT_FIXED_NOTIFY_MODE", 2));
        assertThat(invoke(notify, invoke)).isEqualTo(new Invoked("NOT_FIXED_NOTIFY_MODE", 1));

        // WHEN the template changes, its size and time kept: the launcher runs again and reads the new default
        FileTime written = Files.getLastModifiedTime(template);
        String text = Files.readString(template);
        String edited = text.replace("RemediationMode: {Type: String, Default: remediate,", "RemediationMode: {Type: String, Default: notify,   ");
        assertThat(edited).isNotEqualTo(text).hasSameSizeAs(text);
        Files.writeString(template, edited);
        Files.setLastModifiedTime(template, written);
        assertThat(invoke(env, invoke)).isEqualTo(new Invoked("NOT_FIXED_NOTIFY_MODE", 2));
        assertThat(invoke(env, invoke)).isEqualTo(new Invoked("NOT_FIXED_NOTIFY_MODE", 1));

        // WHEN the archive the command line maps is cut short: the launcher runs, and trains it again
        try (var files = Files.list(cache.resolve("ddb-warden"))) {
            for (Path archive : files.filter(f -> f.getFileName().toString().startsWith("handler-") && f.toString().endsWith(".jsa")).toList()) {
                Files.write(archive, new byte[4096]);
            }
        }
        assertThat(invoke(env, invoke)).isEqualTo(new Invoked("NOT_FIXED_NOTIFY_MODE", 2));
    }

    /** What a run did to the table, and how many JVMs it started. */
    private record Invoked(String action, int jvms) {
    }

    /** Runs ./warden with the orders table unprotected, as the event says it was created. */
    private Invoked invoke(Map<String, String> env, String... args) throws Exception {
        harness.estate.dynamo().updateTable(u -> u.tableName("orders").deletionProtectionEnabled(false));
        WardenProcess.Run run = warden(env, args);
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("REPORT Init Duration");
        return new Invoked(Harness.JSON.readTree(run.stdout()).at("/results/0/action").asText(),
                run.stderr().split("Picked up JAVA_TOOL_OPTIONS", -1).length - 1);
    }

    @Test
    void shellVariables_shouldOverrideTheTemplate() throws Exception {
        harness.estate.createTable("orders", false);

        WardenProcess.Run run = warden(Map.of("REMEDIATION_MODE", "notify"), "invoke", "DeletionProtectionFunction",
                "-e", Project.EVENTS.resolve("create-table-unprotected.json").toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Harness.JSON.readTree(run.stdout()).at("/results/0/action").asText()).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isFalse();
        // The template's topic is a resource with no local value: the alert goes to the log instead.
        assertThat(run.stderr()).contains("ALERT_TOPIC_ARN is not set");
    }

    @Test
    void invalidSetting_shouldFailTheStart_namingTheVariable() throws Exception {
        WardenProcess.Run run = warden(Map.of("REMEDIATION_MODE", "fix-everything"), "invoke", "DeletionProtectionFunction",
                "-e", Project.EVENTS.resolve("create-table-unprotected.json").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr()).contains("REMEDIATION_MODE");
    }

    @Test
    void malformedEvent_shouldExitZero_withTheReason(@TempDir Path dir) throws Exception {
        Path event = dir.resolve("bad.json");
        Files.writeString(event, "{not json");

        WardenProcess.Run run = warden(Map.of(), "invoke", "DeletionProtectionFunction", "-e", event.toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(Harness.JSON.readTree(run.stdout()).path("ignored").asText()).contains("not valid JSON");
    }

    @Test
    void unknownFunction_shouldSaySoAndListTheFunctions() throws Exception {
        WardenProcess.Run run = warden(Map.of(), "invoke", "NoSuchFunction", "-e", "x.json");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("DeletionProtectionFunction");
    }

    private WardenProcess.Run warden(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return WardenProcess.run(harness.moto.endpoint(), List.of("REMEDIATION_MODE"), env, Duration.ofSeconds(120), args);
    }
}
