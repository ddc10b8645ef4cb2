package dev.ddbwarden.config;

/** A setting that cannot be used; the message names the variable so the operator knows what to fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
    }
}
