package dev.ddbwarden.check;

/** How soon a person should look, in the words security teams filter alerts by. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL
}
