package dev.ddbwarden.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The OUs above an account, nearest first, as AWS Organizations' ListParents tells them one level at a time, kept
 * per container for {@link #MAX_AGE} so that an account moved to another OU runs with that OU's settings within
 * minutes. A level that cannot be read leaves the path unknown ({@link AccountSettings} then fails closed), and is
 * not asked again for {@link #RETRY_AFTER}, so a refused permission does not cost a call per event.
 */
public final class OuPaths implements Function<String, Optional<List<String>>> {
    /** How long a parent read is used. */
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** How long a failed read answers "unknown" before it is tried again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(1);
    /** Organizations nests OUs five deep under the root; more levels than this is no tree. */
    private static final int MAX_DEPTH = 6;
    private static final Logger LOG = LoggerFactory.getLogger(OuPaths.class);

    /** One child's parent: an OU's ID, or the root. */
    public record Parent(String id, boolean root) {
    }

    /** ListParents of one child; throws when AWS Organizations cannot tell. */
    @FunctionalInterface
    public interface Parents {
        Parent of(String childId);
    }

    private record Read(Optional<Parent> parent, Instant at) {
    }

    private final Parents parents;
    private final Clock clock;
    private final Map<String, Read> reads = new ConcurrentHashMap<>();

    public OuPaths(Parents parents, Clock clock) {
        this.parents = parents;
        this.clock = clock;
    }

    /** No Organization to ask: every path is unknown (a source whose overrides name no OU never asks). */
    public static OuPaths unknown() {
        return new OuPaths(child -> {
            throw new IllegalStateException("no AWS Organizations client");
        }, Clock.systemUTC());
    }

    @Override
    public Optional<List<String>> apply(String account) {
        List<String> path = new ArrayList<>();
        String child = account;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            Optional<Parent> parent = parentOf(child);
            if (parent.isEmpty()) {
                return Optional.empty();
            }
            if (parent.get().root()) {
                return Optional.of(List.copyOf(path));
            }
            path.add(parent.get().id());
            child = parent.get().id();
        }
        LOG.error("account {} is more than {} levels under its root, which AWS Organizations does not allow", account, MAX_DEPTH);
        return Optional.empty();
    }

    private Optional<Parent> parentOf(String child) {
        Instant now = clock.instant();
        Read known = reads.get(child);
        if (known != null && now.isBefore(known.at().plus(known.parent().isPresent() ? MAX_AGE : RETRY_AFTER))) {
            return known.parent();
        }
        Optional<Parent> parent;
        try {
            parent = Optional.of(parents.of(child));
        } catch (RuntimeException e) {
            LOG.error("AWS Organizations could not say where {} is ({}): accounts under it run with the fail-closed settings",
                    child, e.getMessage());
            parent = Optional.empty();
        }
        reads.put(child, new Read(parent, now));
        return parent;
    }
}
