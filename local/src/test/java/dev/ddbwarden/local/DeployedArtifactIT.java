package dev.ddbwarden.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The artifact sam build deploys (functions/warden's Makefile copies target/lambda, which Maven's
 * package phase builds: one minimized jar), run as Lambda runs it: each function in a fresh JVM whose
 * classpath is that artifact alone, initialized, primed, then given every event in events/ that the
 * template routes to it, against the shared moto_server. A class that minimizing dropped, or a resource that
 * merging the jars lost (a Log4j plugin, a ServiceLoader provider, an SDK interceptor), shows here.
 * CloudTrail's LookupEvents, which moto_server lacks, is answered by a {@link LocalTrail} on loopback, at
 * which the functions' JVMs point with AWS_ENDPOINT_URL_CLOUDTRAIL.
 */
class DeployedArtifactIT {
    private static final Path TASK_ROOT = Project.ROOT.resolve("functions/warden/target/lambda");
    private static Map<String, ArtifactRun.FunctionRun> runs;
    private static LocalTrail trail;

    @BeforeAll
    static void runTheArtifact() throws Exception {
        assertThat(TASK_ROOT.resolve("lib/warden.jar")).as("built by functions/warden's package phase").exists();
        Path out = Files.createTempDirectory("artifact-run");
        trail = LocalTrail.start();
        runs = ArtifactRun.run(Project.ROOT, TASK_ROOT, out, SharedMoto.fresh().endpoint(), trail).stream()
                .collect(Collectors.toMap(ArtifactRun.FunctionRun::function, run -> run));
    }

    @AfterAll
    static void stopTheTrail() {
        trail.close();
    }

    @Test
    void everyFunction_shouldStartPrimeAndHandleItsEvents_withoutAnError() throws Exception {
        assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(Project.template().functionIds());
        for (ArtifactRun.FunctionRun run : runs.values()) {
            assertThat(run.exitStatus()).as(run.function() + ": " + run.stderr()).isZero();
            assertThat(run.steps()).as(run.function()).hasSizeGreaterThan(1);
            JsonNode priming = run.steps().get(0);
            assertThat(priming.path("failed").size()).as(run.function() + " priming: " + priming).isZero();
            assertThat(priming.path("done").size()).as(run.function()).isPositive();
            for (JsonNode step : run.steps()) {
                assertThat(step.has("threw")).as(run.function() + " " + step).isFalse();
            }
        }
    }

    @Test
    void eachRule_shouldFixWhatItsEventsShow() {
        assertThat(action("DeletionProtectionFunction", "create-table-unprotected.json")).isEqualTo("FIXED");
        assertThat(action("PublicAccessFunction", "put-resource-policy-public.json")).isEqualTo("FIXED");
        assertThat(action("RegionGuardFunction", "create-table-forbidden-region.json")).isEqualTo("FIXED");
        assertThat(action("WatcherFunction", "watch-stop-logging.json")).isEqualTo("ALERTED");
        JsonNode finish = step("SweepRegionFunction", "sweep-finish.json").path("result");
        assertThat(finish.path("totals").path("seen").asInt()).isPositive();
    }

    /**
     * The approved principal's decommission stands only once CloudTrail's record confirms it: the artifact's
     * CloudTrail client, which nothing else in the run calls, must have asked LocalTrail and read its answer.
     * The forged decommission, whose event ID CloudTrail holds for another call, is fixed.
     */
    @Test
    void approvedDecommission_shouldStand_onceTheArtifactsCloudTrailClientConfirmsIt() {
        assertThat(action("DeletionProtectionFunction", "update-table-approved-decommission.json")).isEqualTo("TAGGED");
        assertThat(runs.get("DeletionProtectionFunction").stderr()).contains("CloudTrail confirms that");
        assertThat(action("DeletionProtectionFunction", "update-table-forged-decommission.json")).isEqualTo("FIXED");
        assertThat(runs.get("DeletionProtectionFunction").stderr()).contains("forged event");
        assertThat(trail.lookups()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyClass_shouldComeFromTheArtifact_withTheMergedResourcesAtWork() {
        for (ArtifactRun.FunctionRun run : runs.values()) {
            assertThat(run.classesByJar().keySet()).as(run.function()).containsOnly("warden.jar", "bootstrap");
            Set<String> loaded = run.classesByJar().get("warden.jar");
            assertThat(loaded).as(run.function()).contains(
                    // Log4j plugins, found through the merged Log4j2Plugins.dat: Powertools' JSON layout.
                    "org.apache.logging.log4j.layout.template.json.JsonTemplateLayout",
                    "org.apache.logging.log4j.layout.template.json.resolver.PowertoolsResolver",
                    // ServiceLoader providers, from the merged META-INF/services: SLF4J's binding to Log4j and the
                    // level service Powertools finds for it.
                    "org.apache.logging.slf4j.SLF4JServiceProvider",
                    "software.amazon.lambda.powertools.logging.log4j.internal.Log4jLoggingManager",
                    // Both lines of the appended execution.interceptors.
                    "software.amazon.lambda.powertools.logging.log4j.internal.Log4jUserAgentInterceptor",
                    "software.amazon.lambda.powertools.metrics.internal.MetricsUserAgentInterceptor",
                    // Metrics by Powertools' EMF logger, printed as on Lambda.
                    "software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment",
                    "com.fasterxml.jackson.databind.ObjectMapper");
            // Logs as Powertools' JSON, and metrics in CloudWatch's embedded format.
            assertThat(run.stderr()).as(run.function()).contains("{\"level\":\"INFO\"").contains("\"_aws\"")
                    .doesNotContain("No LoggingManager").doesNotContain("ERROR StatusLogger");
        }
    }

    private static String action(String function, String event) {
        return step(function, event).at("/result/results/0/action").asText();
    }

    private static JsonNode step(String function, String event) {
        List<JsonNode> steps = runs.get(function).steps();
        return steps.stream().filter(s -> s.path("step").asText().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError(function + " was not given " + event));
    }
}
