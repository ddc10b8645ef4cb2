package dev.ddbwarden.config;

import java.util.Locale;
import java.util.Optional;

/** What one rule does with a violation: fix it and alert, only alert, or nothing at all. */
public enum RuleMode {
    REMEDIATE, NOTIFY, OFF;

    /** The word users write, the one RemediationMode uses. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<RuleMode> of(String word) {
        for (RuleMode mode : values()) {
            if (mode.word().equals(word)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
