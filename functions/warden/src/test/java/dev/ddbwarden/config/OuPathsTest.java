package dev.ddbwarden.config;

import dev.ddbwarden.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The OUs above an account, one ListParents a level, kept for a bounded time; a failed level leaves the path unknown. */
class OuPathsTest {
    private static final String ACCOUNT = "111111111111";
    private static final String INNER = "ou-ab12-bbbbbbbb";
    private static final String OUTER = "ou-ab12-aaaaaaaa";

    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T06:00:00Z"));
    private final Map<String, OuPaths.Parent> tree = new HashMap<>(Map.of(
            ACCOUNT, new OuPaths.Parent(INNER, false),
            INNER, new OuPaths.Parent(OUTER, false),
            OUTER, new OuPaths.Parent("r-ab12", true)));
    private final AtomicInteger calls = new AtomicInteger();
    private final OuPaths paths = new OuPaths(child -> {
        calls.incrementAndGet();
        OuPaths.Parent parent = tree.get(child);
        if (parent == null) {
            throw new IllegalStateException("AccessDeniedException");
        }
        return parent;
    }, clock);

    @Test
    void apply_shouldWalkUpToTheRoot_nearestFirst_andKeepWhatItRead() {
        assertThat(paths.apply(ACCOUNT)).contains(List.of(INNER, OUTER));
        assertThat(calls).hasValue(3);

        assertThat(paths.apply(ACCOUNT)).contains(List.of(INNER, OUTER));
        assertThat(calls).hasValue(3);
    }

    @Test
    void apply_shouldReadAgain_onceItsReadingIsOlderThanItsAge() {
        paths.apply(ACCOUNT);
        // GIVEN the account moved straight under the root
        tree.put(ACCOUNT, new OuPaths.Parent("r-ab12", true));

        clock.advance(OuPaths.MAX_AGE.minus(Duration.ofSeconds(1)));
        assertThat(paths.apply(ACCOUNT)).contains(List.of(INNER, OUTER));

        clock.advance(Duration.ofSeconds(1));
        assertThat(paths.apply(ACCOUNT)).contains(List.of());
    }

    @Test
    void apply_shouldSayUnknown_whenALevelCannotBeRead_andNotAskAgainAtOnce() {
        tree.remove(INNER);

        assertThat(paths.apply(ACCOUNT)).isEqualTo(Optional.empty());
        int asked = calls.get();
        assertThat(paths.apply(ACCOUNT)).isEmpty();
        assertThat(calls).hasValue(asked);

        // WHEN the permission is granted and the pause is over, THEN the path is read
        tree.put(INNER, new OuPaths.Parent(OUTER, false));
        clock.advance(OuPaths.RETRY_AFTER);
        assertThat(paths.apply(ACCOUNT)).contains(List.of(INNER, OUTER));
    }

    @Test
    void apply_shouldSayUnknown_forATreeDeeperThanOrganizationsAllows() {
        Map<String, OuPaths.Parent> loop = Map.of(ACCOUNT, new OuPaths.Parent(INNER, false), INNER, new OuPaths.Parent(INNER, false));
        OuPaths looping = new OuPaths(loop::get, clock);

        assertThat(looping.apply(ACCOUNT)).isEmpty();
    }
}
