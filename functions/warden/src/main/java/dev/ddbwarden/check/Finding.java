package dev.ddbwarden.check;

import dev.ddbwarden.event.TableRef;

/**
 * One violation on one table, as a check saw it in the live state.
 *
 * @param title  a few words for the alert's subject line
 * @param detail what was found, in sentences a person can act on
 */
public record Finding(String rule, Severity severity, TableRef table, String title, String detail, Remedy remedy) {
}
