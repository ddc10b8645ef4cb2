package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sam build builds every function of template.yaml with functions/warden/Makefile (BuildMethod: makefile): it runs
 * {@code make build-<LogicalId>} with ARTIFACTS_DIR set. One pattern rule serves them all, so a function a new rule
 * adds builds with no line of its own (here {@code make -n}: what it would run, printed, not run).
 */
class FunctionBuildTest {
    @Test
    void everyFunction_andOneNotYetWritten_shouldBuildWithTheMakefile() throws Exception {
        Template template = Project.template();
        List<String> ids = new ArrayList<>(template.functionIds());
        for (String id : ids) {
            assertThat(Template.map(template.resource(id).get("Metadata")).get("BuildMethod")).as(id).isEqualTo("makefile");
        }
        ids.add("SomeFutureRuleFunction");
        for (String id : ids) {
            Process make = new ProcessBuilder("make", "-n", "build-" + id, "ARTIFACTS_DIR=/artifacts")
                    .directory(Project.ROOT.resolve("functions/warden").toFile()).redirectErrorStream(true).start();
            String plan = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(make.waitFor()).as(id + ": " + plan).isZero();
            assertThat(plan).as(id).contains("mvn -B -q clean package").contains("cp -R target/lambda/. \"/artifacts\"");
        }
    }
}
