package dev.ddbwarden.config;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LazyTest {

    @Test
    void get_shouldBuildOnFirstCallOnly() {
        // GIVEN
        AtomicInteger built = new AtomicInteger();
        Lazy<String> lazy = Lazy.of(() -> "client " + built.incrementAndGet());

        // WHEN / THEN
        assertThat(built).hasValue(0);
        assertThat(lazy.get()).isEqualTo("client 1");
        assertThat(lazy.get()).isEqualTo("client 1");
        assertThat(built).hasValue(1);
    }
}
