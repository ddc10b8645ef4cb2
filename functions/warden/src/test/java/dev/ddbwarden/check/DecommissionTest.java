package dev.ddbwarden.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DecommissionTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void activeUntil_shouldGiveExpiry_whenTagIsInTheFuture() {
        // GIVEN
        Map<String, String> tags = Map.of("team", "data", Decommission.TAG_KEY, "2024-05-02T12:00:00Z");

        // WHEN / THEN
        assertThat(Decommission.activeUntil(tags, NOW)).contains(Instant.parse("2024-05-02T12:00:00Z"));
    }

    @Test
    void activeUntil_shouldTrimValue_whenTagHasSurroundingSpaces() {
        Map<String, String> tags = Map.of(Decommission.TAG_KEY, " 2024-05-01T13:00:00Z ");

        assertThat(Decommission.activeUntil(tags, NOW)).contains(Instant.parse("2024-05-01T13:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-01T11:59:59Z", "2024-05-01T12:00:00Z"})
    void activeUntil_shouldGiveEmpty_whenExpiredOrExpiringNow(String until) {
        assertThat(Decommission.activeUntil(Map.of(Decommission.TAG_KEY, until), NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tomorrow", "2024-05-02", "2024-05-02 12:00:00"})
    void activeUntil_shouldGiveEmpty_whenValueIsUnparseable(String until) {
        assertThat(Decommission.activeUntil(Map.of(Decommission.TAG_KEY, until), NOW)).isEmpty();
    }

    @Test
    void activeUntil_shouldGiveEmpty_whenTagIsMissing() {
        assertThat(Decommission.activeUntil(Map.of("ddb-warden:other", "2099-01-01T00:00:00Z"), NOW)).isEmpty();
    }
}
