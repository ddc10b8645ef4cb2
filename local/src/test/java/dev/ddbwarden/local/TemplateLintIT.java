package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cfn-lint (SAM-aware) finds nothing in template.yaml or forwarder.yaml: no error, no warning, no informational
 * note it reports by default. One run for both files, since cfn-lint's start is most of its time.
 */
class TemplateLintIT {

    @Test
    void templateAndForwarder_shouldBeCfnLintClean() throws Exception {
        Process lint = new ProcessBuilder("cfn-lint", Project.TEMPLATE.toString(),
                Project.ROOT.resolve("forwarder.yaml").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(300, TimeUnit.SECONDS)).as("cfn-lint finished").isTrue();

        assertThat(output).as("cfn-lint output").isEmpty();
        assertThat(lint.exitValue()).isZero();
    }
}
