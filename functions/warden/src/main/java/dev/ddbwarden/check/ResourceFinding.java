package dev.ddbwarden.check;

import dev.ddbwarden.event.ResourceRef;

/**
 * What an alert-only rule found on a call about a resource other than a table: decided on the record alone,
 * alerted once per event, never fixed (so it carries advice, not a remedy).
 *
 * @param title  a few words for the alert's subject line
 * @param detail what was found, in sentences a person can act on
 * @param advice what a person should do about it
 * @param once   empty to alert once per event; else the occurrence the alert goes out once for, whichever event shows it
 *               first ("day#2026-12-05": one alert per resource and day), later events of it only counted
 */
public record ResourceFinding(String rule, Severity severity, ResourceRef resource, String title, String detail,
                              String advice, String once) {

    /** A finding alerted once per event. */
    public ResourceFinding(String rule, Severity severity, ResourceRef resource, String title, String detail, String advice) {
        this(rule, severity, resource, title, detail, advice, "");
    }
}
