package dev.ddbwarden.rules;

import dev.ddbwarden.config.ConfigException;

import java.util.Locale;

/**
 * Settings more than one rule reads, declared once so that the rules that share one parse it alike (each lists
 * it in its own {@code settings()}; the settings parameter carries it once).
 */
public final class SharedSettings {
    /**
     * Whether DynamoDB data must be encrypted with a customer managed KMS key: tables (the encryption rule) and
     * the copies they leave in S3 (the egress rule's exports). true or false, default false.
     */
    public static final RuleSetting<Boolean> REQUIRE_CMK = new RuleSetting<>("REQUIRE_CMK", raw -> {
        String word = raw.strip().toLowerCase(Locale.ROOT);
        if (!word.equals("true") && !word.equals("false")) {
            throw new ConfigException("REQUIRE_CMK", "'" + raw + "' is not true or false");
        }
        return Boolean.valueOf(word);
    }, false);

    private SharedSettings() {
    }
}
