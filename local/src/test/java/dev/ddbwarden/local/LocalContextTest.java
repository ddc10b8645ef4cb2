package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LocalContextTest {
    @Test
    void requestIdsAreDistinctVersionFourUuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = new LocalContext("DeletionProtectionFunction", 512, 60).getAwsRequestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).as(id).isEqualTo(4);
            assertThat(uuid.variant()).as(id).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            seen.add(id);
        }
        assertThat(seen).hasSize(1_000);
    }
}
