package dev.ddbwarden.check;

import dev.ddbwarden.state.ResourcePolicies;
import dev.ddbwarden.state.TableState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether ddb-warden's own tags on a table keep a rule away from it. A tag alone never does: anyone
 * allowed dynamodb:TagResource can write one. A quarantine counts only while the live policy holds
 * ddb-warden's quarantine statement and the ledger holds the quarantine decision; a decommission only
 * while the ledger holds the decision, until the earlier of the tag's date and the decision's expiry,
 * capped at the configured window from the decision. Any other tag that would exempt the table is
 * ignored, and named so that it can be reported. Pure.
 */
public final class TagTrust {

    private TagTrust() {
    }

    /**
     * @param decommissionUntil the end of a decommission in force, empty when none counts
     * @param ignored           ddb-warden tags that claim an exemption the ledger does not back
     */
    public record Verdict(boolean quarantined, Optional<Instant> decommissionUntil, List<Ignored> ignored) {
        public Verdict {
            ignored = List.copyOf(ignored);
        }
    }

    /** A tag that would have exempted the table, and why it does not. */
    public record Ignored(String key, String value, String why) {
    }

    /**
     * @param quarantine   the ledger's quarantine decision on the table, if any
     * @param decommission the ledger's decommission decision on the table, if any
     * @param window       the longest a decommission may last (DECOMMISSION_WINDOW_HOURS)
     */
    public static Verdict judge(TableState state, Optional<Hold> quarantine, Optional<Hold> decommission, Instant now,
                                Duration window) {
        List<Ignored> ignored = new ArrayList<>();
        boolean quarantined = false;
        String quarantineTag = state.tags().get(QuarantineStatement.TAG_KEY);
        if (quarantineTag != null) {
            boolean statement = state.augment(ResourcePolicies.class).flatMap(ResourcePolicies::table)
                    .map(p -> QuarantineStatement.isIn(p.document())).orElse(false);
            quarantined = statement && quarantine.isPresent();
            if (!quarantined) {
                ignored.add(new Ignored(QuarantineStatement.TAG_KEY, quarantineTag, quarantine.isEmpty()
                        ? "ddb-warden's ledger holds no quarantine decision for this table"
                        : "the table's resource policy does not hold ddb-warden's quarantine statement "
                                + QuarantineStatement.SID));
            }
        }
        return new Verdict(quarantined, decommission(state, decommission, now, window, ignored), ignored);
    }

    private static Optional<Instant> decommission(TableState state, Optional<Hold> decision, Instant now, Duration window,
                                                  List<Ignored> ignored) {
        Optional<Instant> active = Decommission.activeUntil(state.tags(), now);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        String tag = state.tags().get(Decommission.TAG_KEY);
        Instant tagged = active.get();
        if (decision.isEmpty() || decision.get().until().isEmpty()) {
            ignored.add(new Ignored(Decommission.TAG_KEY, tag,
                    "ddb-warden's ledger holds no decommission decision for this table"));
            return Optional.empty();
        }
        Instant decided = decision.get().until().get();
        if (tagged.isAfter(decided)) {
            ignored.add(new Ignored(Decommission.TAG_KEY, tag,
                    "the tag's date is later than the decommission ddb-warden decided, which ends " + decided));
            return Optional.empty();
        }
        // A decision dated in the future would stretch the window: it counts from now at the latest.
        Instant decidedAt = decision.get().decidedAt();
        Instant cap = (decidedAt.isAfter(now) ? now : decidedAt).plus(window);
        Instant until = tagged.isAfter(cap) ? cap : tagged;
        return until.isAfter(now) ? Optional.of(until) : Optional.empty();
    }
}
