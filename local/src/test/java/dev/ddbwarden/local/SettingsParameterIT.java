package dev.ddbwarden.local;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.handler.WardenHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.EnvVar;
import dev.ddbwarden.config.SettingsSource;
import dev.ddbwarden.handler.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The settings parameter over the wire: template.yaml's document, written into moto_server's Parameter Store
 * as the stack would write it, read by the real handler through GetParameter; a change the deployer makes
 * reaches the same container after a restore, and a broken parameter never relaxes what it enforces.
 */
class SettingsParameterIT {
    private Harness harness;
    private Template template;
    private final AtomicInteger failures = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        harness = new Harness();
        template = Project.template();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    /** The stack's parameter for these Parameters, written to moto_server; returns its name. */
    private String deploy(Map<String, String> parameters) {
        SettingsParameter parameter = SettingsParameter.of(template, new TemplateValues(template.parameters(), parameters,
                LocalAws.REGION, LocalAws.ACCOUNT)).orElseThrow();
        parameter.putInto(harness.estate.ssm());
        return parameter.name();
    }

    private SettingsSource source(String name) {
        return SettingsSource.of(Map.of(EnvVar.SETTINGS_PARAMETER, name, EnvVar.ALERT_TOPIC_ARN, harness.topicArn)::get,
                harness.estate::ssm, Clock.systemUTC(), failures::incrementAndGet);
    }

    private String createTable(String name) throws Exception {
        harness.estate.createTable(name, false);
        return Project.event("create-table-unprotected.json").replace("\"orders\"", "\"" + name + "\"")
                .replace("table/orders", "table/" + name);
    }

    @Test
    void theHandler_shouldRunTheParametersSettings_andTheDeployersChangeAfterARestore() throws Exception {
        // GIVEN a stack deployed in notify mode, and a function started from it
        String name = deploy(Map.of("RemediationMode", "notify"));
        SettingsSource settings = source(name);
        WardenHandler handler = new WardenHandler(new DeletionProtectionRule(), Services.create(settings));

        // WHEN an unprotected table appears, THEN notify: reported, not fixed
        JsonNode first = Harness.invoke(handler, createTable("orders"));
        assertThat(first.at("/results/0/action").asText()).isEqualTo("NOT_FIXED_NOTIFY_MODE");
        assertThat(harness.estate.describe("orders").deletionProtectionEnabled()).isFalse();

        // WHEN the deployer switches to remediate and the container is restored (or its minute passes)
        deploy(Map.of("RemediationMode", "remediate"));
        settings.afterRestore(null);

        // THEN the same handler fixes the next table
        JsonNode second = Harness.invoke(handler, createTable("payments"));
        assertThat(second.at("/results/0/action").asText()).isEqualTo("FIXED");
        assertThat(harness.estate.describe("payments").deletionProtectionEnabled()).isTrue();
        assertThat(failures).hasValue(0);
    }

    @Test
    void aBrokenOrMissingParameter_shouldKeepTheLastGoodSettings_andStopAStart() {
        // GIVEN a function running in notify mode
        String name = deploy(Map.of("RemediationMode", "notify", "ExemptTables", "scratch-*"));
        SettingsSource settings = source(name);

        // WHEN someone writes a document that is not ours, THEN the running function keeps its settings
        harness.estate.ssm().putParameter(r -> r.name(name).type("String").overwrite(true).value("EXEMPT_TABLES=*"));
        settings.refresh();
        assertThat(settings.current().settings().isExempt("orders")).isFalse();
        assertThat(settings.current().settings().isExempt("scratch-1")).isTrue();
        assertThat(failures).hasValue(1);

        // AND a function starting now refuses to
        assertThatThrownBy(() -> source(name)).isInstanceOf(ConfigException.class).hasMessageContaining("REMEDIATION_MODE");

        // WHEN the parameter is deleted, THEN the running function still keeps its settings, and a start fails
        harness.estate.ssm().deleteParameter(r -> r.name(name));
        settings.refresh();
        assertThat(settings.current().settings().isExempt("scratch-1")).isTrue();
        assertThat(failures).hasValue(2);
        assertThatThrownBy(() -> source(name)).isInstanceOf(ParameterNotFoundException.class);
    }
}
