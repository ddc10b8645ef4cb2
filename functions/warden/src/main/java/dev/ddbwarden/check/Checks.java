package dev.ddbwarden.check;

import java.util.List;
import java.util.Optional;

/** Every rule ddb-warden enforces, registered in this one place. */
public final class Checks {
    private static final List<Check> ALL = List.of(new DeletionProtectionCheck(), new PublicAccessCheck(), new RegionGuardCheck());

    private Checks() {
    }

    public static List<Check> all() {
        return ALL;
    }

    public static Optional<Check> byRule(String rule) {
        return ALL.stream().filter(c -> c.rule().equals(rule)).findFirst();
    }
}
