package dev.ddbwarden.rules;

import dev.ddbwarden.config.ConfigException;
import dev.ddbwarden.config.Settings;

import java.util.function.Function;

/**
 * A setting one rule declares, kept in its package: a line of the settings parameter (from a template Parameter)
 * that the rule alone reads. Every function parses the settings of every registered rule at start and on each
 * re-read, so a value a rule refuses stops the start, or keeps the last good settings, like any invalid setting.
 *
 * @param name         the line's name in the settings parameter (and the variable a local run may set)
 * @param parse        the value as the rule uses it; throws {@link ConfigException} naming {@code name} for a bad one
 * @param defaultValue what an unset line means
 */
public record RuleSetting<T>(String name, Function<String, T> parse, T defaultValue) {

    /** The value in {@code settings}, or the default when unset. */
    public T in(Settings settings) {
        return settings.ruleSetting(name).map(parse).orElse(defaultValue);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static RuleSetting<Integer> integer(String name, int defaultValue, int min, int max) {
        return new RuleSetting<>(name, raw -> {
            try {
                int value = Integer.parseInt(raw);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // refused below, with the range
            }
            throw new ConfigException(name, "'" + raw + "' is not a whole number from " + min + " to " + max);
        }, defaultValue);
    }
}
