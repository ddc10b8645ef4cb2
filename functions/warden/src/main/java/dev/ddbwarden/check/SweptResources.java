package dev.ddbwarden.check;

import dev.ddbwarden.event.ResourceRef;

import java.util.List;

/**
 * What a rule's sweep found among the resources other than tables it watches in one account and region: the findings
 * to alert, and every resource it read that gave none, whose findings the sweep closes (Security Hub), as it closes a
 * compliant table's.
 */
public record SweptResources(List<ResourceFinding> found, List<ResourceRef> compliant) {
    public SweptResources {
        found = List.copyOf(found);
        compliant = List.copyOf(compliant);
    }

    /** Nothing read: the rule watches nothing but tables, or nothing here. */
    public static SweptResources none() {
        return new SweptResources(List.of(), List.of());
    }
}
