package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The watcher's settings: the stack it guards, the role that deploys it and the alert topic's key. */
class WatcherSettingsTest {

    @Test
    void from_shouldLeaveBothEmpty_whenUnset() {
        Settings settings = Settings.from(Map.<String, String>of()::get);

        assertThat(settings.stackName()).isEmpty();
        assertThat(settings.deploymentRoleArn()).isEmpty();
        assertThat(settings.alertKeyArn()).isEmpty();
    }

    @Test
    void from_shouldReadTheStackAndTheDeploymentRole_andKeepThemThroughWithMode() {
        // GIVEN
        Map<String, String> env = Map.of(EnvVar.STACK_NAME, " ddb-warden-prod ",
                EnvVar.DEPLOYMENT_ROLE_ARN, "arn:aws:iam::123456789012:role/ci/ddb-warden-deployer",
                EnvVar.ALERT_KEY_ARN, "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e");

        // WHEN
        Settings settings = Settings.from(env::get).withMode(RemediationMode.NOTIFY);

        // THEN
        assertThat(settings.stackName()).isEqualTo("ddb-warden-prod");
        assertThat(settings.deploymentRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/ci/ddb-warden-deployer");
        assertThat(settings.alertKeyArn()).isEqualTo("arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "STACK_NAME, 1stack",
            "STACK_NAME, ddb_warden",
            "DEPLOYMENT_ROLE_ARN, arn:aws:iam::123456789012:user/alice",
            "DEPLOYMENT_ROLE_ARN, arn:aws:sts::123456789012:assumed-role/deployer/session",
            "DEPLOYMENT_ROLE_ARN, deployer",
            "ALERT_KEY_ARN, 0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
            "ALERT_KEY_ARN, arn:aws:kms:eu-west-1:123456789012:alias/ddb-warden-alerts"})
    void from_shouldRefuseToStart_namingTheVariable_whenAValueHasTheWrongShape(String variable, String value) {
        assertThatThrownBy(() -> Settings.from(Map.of(variable, value)::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": '" + value + "'");
    }
}
