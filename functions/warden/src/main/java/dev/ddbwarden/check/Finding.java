package dev.ddbwarden.check;

import dev.ddbwarden.event.TableRef;

/**
 * One violation on one table, as a check saw it in the live state.
 *
 * @param title  a few words for the alert's subject line
 * @param detail what was found, in sentences a person can act on
 */
public record Finding(String rule, Severity severity, TableRef table, String title, String detail, Remedy remedy) {

    /**
     * This finding, part of whose remedy was applied, together with what a second look found: the more
     * severe of the two, both details, and the later remedy (what is still to do).
     */
    public Finding alongWith(Finding later) {
        Finding worse = later.severity.compareTo(severity) > 0 ? later : this;
        return new Finding(rule, worse.severity, table, worse.title,
                detail + "\n\nThe resource changed while ddb-warden was fixing it. A second look found:\n" + later.detail,
                later.remedy);
    }
}
