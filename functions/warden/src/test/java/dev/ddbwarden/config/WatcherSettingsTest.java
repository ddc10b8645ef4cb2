package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The watcher's two settings: the stack it guards and the role that deploys it. */
class WatcherSettingsTest {

    @Test
    void from_shouldLeaveBothEmpty_whenUnset() {
        Settings settings = Settings.from(Map.<String, String>of()::get);

        assertThat(settings.stackName()).isEmpty();
        assertThat(settings.deploymentRoleArn()).isEmpty();
    }

    @Test
    void from_shouldReadTheStackAndTheDeploymentRole_andKeepThemThroughWithMode() {
        // GIVEN
        Map<String, String> env = Map.of(EnvVar.STACK_NAME, " ddb-warden-prod ",
                EnvVar.DEPLOYMENT_ROLE_ARN, "arn:aws:iam::123456789012:role/ci/ddb-warden-deployer");

        // WHEN
        Settings settings = Settings.from(env::get).withMode(RemediationMode.NOTIFY);

        // THEN
        assertThat(settings.stackName()).isEqualTo("ddb-warden-prod");
        assertThat(settings.deploymentRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/ci/ddb-warden-deployer");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "STACK_NAME, 1stack",
            "STACK_NAME, ddb_warden",
            "DEPLOYMENT_ROLE_ARN, arn:aws:iam::123456789012:user/alice",
            "DEPLOYMENT_ROLE_ARN, arn:aws:sts::123456789012:assumed-role/deployer/session",
            "DEPLOYMENT_ROLE_ARN, deployer"})
    void from_shouldRefuseToStart_namingTheVariable_whenAValueHasTheWrongShape(String variable, String value) {
        assertThatThrownBy(() -> Settings.from(Map.of(variable, value)::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": '" + value + "'");
    }
}
