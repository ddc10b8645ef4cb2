package dev.ddbwarden.rules;

import dev.ddbwarden.rules.deletionprotection.DeletionProtectionRule;
import dev.ddbwarden.rules.publicaccess.PublicAccessRule;
import dev.ddbwarden.rules.regionguard.RegionGuardRule;

import java.util.List;
import java.util.Optional;

/** Every rule ddb-warden enforces, registered in this one place: the sweep, priming and the template tests read it. */
public final class Rules {
    private static final List<Rule> ALL = List.of(new DeletionProtectionRule(), new PublicAccessRule(), new RegionGuardRule());

    private Rules() {
    }

    public static List<Rule> all() {
        return ALL;
    }

    public static Optional<Rule> byName(String name) {
        return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
