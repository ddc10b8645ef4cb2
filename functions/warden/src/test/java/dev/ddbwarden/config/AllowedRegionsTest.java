package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ALLOWED_REGIONS is trusted only when it is non-empty, names real regions and includes the home region. */
class AllowedRegionsTest {
    private static final String HOME = "us-east-1";

    @Test
    void require_shouldThrowNamingTheVariable_whenTheListIsEmpty() {
        assertThatThrownBy(() -> AllowedRegions.require(List.of(), HOME))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ALLOWED_REGIONS")
                .hasMessageContaining("empty")
                .hasMessageContaining(HOME);
    }

    @Test
    void require_shouldThrowNamingTheVariable_whenTheVariableIsUnset() {
        // GIVEN settings read from an environment without ALLOWED_REGIONS
        Settings settings = Settings.from(Map.<String, String>of()::get);

        // WHEN / THEN
        assertThatThrownBy(() -> AllowedRegions.require(settings.allowedRegions(), HOME))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ALLOWED_REGIONS");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"eu-wst-1", "us-east-9", "xx-nowhere-1"})
    void require_shouldThrowNamingTheRegion_whenARegionIsNotReal(String typo) {
        // GIVEN a name shaped like a region, so Settings lets it through
        Settings settings = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, HOME + "," + typo)::get);

        // WHEN / THEN
        assertThatThrownBy(() -> AllowedRegions.require(settings.allowedRegions(), HOME))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ALLOWED_REGIONS")
                .hasMessageContaining("'" + typo + "'");
    }

    @Test
    void require_shouldThrowNamingTheHomeRegion_whenTheListLeavesItOut() {
        assertThatThrownBy(() -> AllowedRegions.require(List.of("eu-west-1", "eu-central-1"), HOME))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("ALLOWED_REGIONS")
                .hasMessageContaining("does not include " + HOME);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"us-east-1", "us-east-1,eu-west-1", "eu-west-1, us-east-1 ,ap-southeast-2"})
    void require_shouldAccept_whenTheListIsRealAndIncludesTheHomeRegion(String allowed) {
        Settings settings = Settings.from(Map.of(EnvVar.ALLOWED_REGIONS, allowed)::get);

        assertThatCode(() -> AllowedRegions.require(settings.allowedRegions(), HOME)).doesNotThrowAnyException();
    }
}
