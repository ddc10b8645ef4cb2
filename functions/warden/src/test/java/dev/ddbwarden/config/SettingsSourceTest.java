package dev.ddbwarden.config;

import dev.ddbwarden.TestClock;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.InternalServerErrorException;
import software.amazon.awssdk.services.ssm.model.Parameter;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The settings parameter read at start, after a restore and on expiry. The SSM client is mocked: the
 * local module's SettingsParameterIT reads the template's document from moto_server.
 */
class SettingsSourceTest {
    private static final String NAME = "/ddb-warden/ddb-warden/settings";
    private static final String NOTIFY = "REMEDIATION_MODE=notify\nALLOWED_REGIONS=us-east-1,eu-west-1\n"
            + "EXEMPT_TABLES=scratch-*\nSWEEP_MAX_FIXES=7";
    private static final String REMEDIATE = "REMEDIATION_MODE=remediate\nALLOWED_REGIONS=us-east-1\nEXEMPT_TABLES=";
    private static final Map<String, String> ENVIRONMENT = Map.of(
            EnvVar.SETTINGS_PARAMETER, NAME,
            EnvVar.LEDGER_TABLE, "ddb-warden-Ledger-1",
            // Carried by the document, so this stale value from the environment must never be used.
            EnvVar.REMEDIATION_MODE, "notify");

    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));
    private final SsmClient ssm = mock(SsmClient.class);
    private final AtomicInteger failures = new AtomicInteger();

    private void parameterHolds(String... values) {
        var stubbing = when(ssm.getParameter(any(java.util.function.Consumer.class)));
        for (String value : values) {
            stubbing = stubbing.thenReturn(GetParameterResponse.builder()
                    .parameter(Parameter.builder().name(NAME).value(value).build()).build());
        }
    }

    private SettingsSource source() {
        return SettingsSource.of(ENVIRONMENT::get, () -> ssm, clock, failures::incrementAndGet);
    }

    @Test
    void of_shouldReadTheDocumentAtStart_andTheRestFromTheEnvironment() {
        // GIVEN the parameter holds notify settings
        parameterHolds(NOTIFY);

        // WHEN the function starts
        SettingsSource.Current current = source().current();

        // THEN the document's keys come from it, the others from the environment
        assertThat(current.settings().mode()).isEqualTo(RemediationMode.NOTIFY);
        assertThat(current.settings().allowedRegions()).containsExactly("us-east-1", "eu-west-1");
        assertThat(current.settings().isExempt("scratch-1")).isTrue();
        assertThat(current.settings().ledgerTable()).isEqualTo("ddb-warden-Ledger-1");
        assertThat(current.sweep().maxFixes()).isEqualTo(7);
        verify(ssm).getParameter(any(java.util.function.Consumer.class));
    }

    @Test
    void of_shouldAskForTheParameterTheEnvironmentNames() {
        // GIVEN a client that records the request it builds
        SsmClient recording = mock(SsmClient.class);
        ArgumentCaptor<GetParameterRequest> request = ArgumentCaptor.forClass(GetParameterRequest.class);
        when(recording.getParameter(request.capture())).thenReturn(GetParameterResponse.builder()
                .parameter(Parameter.builder().value(REMEDIATE).build()).build());
        when(recording.getParameter(any(java.util.function.Consumer.class))).thenCallRealMethod();

        // WHEN
        SettingsSource.of(ENVIRONMENT::get, () -> recording, clock, failures::incrementAndGet);

        // THEN one GetParameter of exactly that name
        assertThat(request.getValue().name()).isEqualTo(NAME);
        assertThat(request.getValue().withDecryption()).isNull();
    }

    @Test
    void current_shouldReadAgain_onlyOnceTheMaximumAgeHasPassed() {
        // GIVEN notify at start, then remediate
        parameterHolds(NOTIFY, REMEDIATE);
        SettingsSource source = source();

        // WHEN less than a minute passes, THEN the settings read at start stay, without a call
        clock.advance(SettingsSource.MAX_AGE.minusSeconds(1));
        assertThat(source.current().settings().mode()).isEqualTo(RemediationMode.NOTIFY);
        verify(ssm, times(1)).getParameter(any(java.util.function.Consumer.class));

        // WHEN the minute has passed, THEN the parameter is read again and its change is used
        clock.advance(Duration.ofSeconds(1));
        SettingsSource.Current current = source.current();
        assertThat(current.settings().mode()).isEqualTo(RemediationMode.REMEDIATE);
        assertThat(current.settings().isExempt("scratch-1")).isFalse();
        verify(ssm, times(2)).getParameter(any(java.util.function.Consumer.class));
        assertThat(failures).hasValue(0);
    }

    @Test
    void afterRestore_shouldReadAgain_whateverTheClockSays() {
        // GIVEN settings read a moment ago, then changed
        parameterHolds(NOTIFY, REMEDIATE);
        SettingsSource source = source();

        // WHEN SnapStart restores the snapshot
        source.afterRestore(null);

        // THEN the restored function runs the new settings
        assertThat(source.current().settings().mode()).isEqualTo(RemediationMode.REMEDIATE);
    }

    @Test
    void current_shouldKeepTheLastGoodSettings_whenTheReadFails() {
        // GIVEN a good reading, then SSM failing
        parameterHolds(NOTIFY);
        SettingsSource source = source();
        SettingsSource.Current good = source.current();
        when(ssm.getParameter(any(java.util.function.Consumer.class)))
                .thenThrow(InternalServerErrorException.builder().message("boom").build());

        // WHEN the settings expire
        clock.advance(SettingsSource.MAX_AGE);

        // THEN the last good settings stay and the failure is counted, once per minute, not per call
        assertThat(source.current()).isSameAs(good);
        assertThat(source.current()).isSameAs(good);
        assertThat(failures).hasValue(1);
    }

    @Test
    void current_shouldKeepTheLastGoodSettings_whenTheDocumentIsInvalid() {
        // GIVEN a good reading, then a document with a value Settings refuses, then one without a required key
        parameterHolds(NOTIFY, "REMEDIATION_MODE=off\nALLOWED_REGIONS=us-east-1", "ALLOWED_REGIONS=us-east-1");
        SettingsSource source = source();

        // WHEN each is read in turn
        clock.advance(SettingsSource.MAX_AGE);
        RemediationMode afterInvalidValue = source.current().settings().mode();
        clock.advance(SettingsSource.MAX_AGE);
        RemediationMode afterMissingKey = source.current().settings().mode();

        // THEN neither relaxes anything: notify stays notify, never the default
        assertThat(afterInvalidValue).isEqualTo(RemediationMode.NOTIFY);
        assertThat(afterMissingKey).isEqualTo(RemediationMode.NOTIFY);
        assertThat(failures).hasValue(2);
    }

    @Test
    void current_shouldKeepTheLastGoodSettings_whenAHandlersCheckRefusesTheNewOnes() {
        // GIVEN a handler that demands its home region be allowed
        parameterHolds(NOTIFY, "REMEDIATION_MODE=remediate\nALLOWED_REGIONS=ap-southeast-2");
        SettingsSource source = source();
        source.require(settings -> AllowedRegions.require(settings.allowedRegions(), "us-east-1"));

        // WHEN the parameter is changed to a list it refuses
        clock.advance(SettingsSource.MAX_AGE);

        // THEN the last good list stays
        assertThat(source.current().settings().allowedRegions()).containsExactly("us-east-1", "eu-west-1");
        assertThat(failures).hasValue(1);
    }

    @Test
    void of_shouldFailTheStart_whenTheParameterCannotBeReadOrUsed() {
        // GIVEN SSM failing, a document missing a required key, and one that is not KEY=value lines
        when(ssm.getParameter(any(java.util.function.Consumer.class)))
                .thenThrow(InternalServerErrorException.builder().message("boom").build());
        assertThatThrownBy(this::source).isInstanceOf(InternalServerErrorException.class);

        parameterHolds("ALLOWED_REGIONS=us-east-1\nEXEMPT_TABLES=");
        assertThatThrownBy(this::source).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SETTINGS_PARAMETER").hasMessageContaining("REMEDIATION_MODE");

        parameterHolds("REMEDIATION_MODE=notify\nALLOWED_REGIONS=us-east-1\nnot a setting");
        assertThatThrownBy(this::source).isInstanceOf(ConfigException.class).hasMessageContaining("line 3");
    }

    @Test
    void of_shouldReadTheEnvironmentAlone_whenNoParameterIsNamed() {
        // GIVEN no SETTINGS_PARAMETER (sam local invoke, tests)
        Map<String, String> environment = Map.of(EnvVar.REMEDIATION_MODE, "notify", EnvVar.SETTINGS_PARAMETER, " ");

        // WHEN
        SettingsSource source = SettingsSource.of(environment::get, () -> ssm, clock, failures::incrementAndGet);
        clock.advance(Duration.ofHours(1));

        // THEN the environment's settings, and SSM is never called
        assertThat(source.current().settings().mode()).isEqualTo(RemediationMode.NOTIFY);
        verify(ssm, times(0)).getParameter(any(java.util.function.Consumer.class));
    }
}
