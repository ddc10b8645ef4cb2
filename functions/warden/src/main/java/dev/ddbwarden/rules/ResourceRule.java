package dev.ddbwarden.rules;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.CallReads;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A rule about resources other than tables (DAX clusters and their roles, IAM users, an organization's policies): its
 * calls name no table, so it decides per event in {@link #evaluateResource(ApiCall, CallReads, Settings)}, on the
 * record and on what its {@link #callAugments()} read of the resource, and only alerts. Such a rule states only its
 * triggers, its reads and that decision; the answers below are the same for every one of them.
 */
public interface ResourceRule extends AlertOnlyRule {

    /**
     * The swept table, for the sweep's count; no call of this rule names a table (the rule's own resources are swept
     * once per region by {@link #sweepResources}).
     */
    @Override
    default List<TableRef> subjects(ApiCall call) {
        return call.isSweep() ? TableLocator.locate(call).map(List::of).orElse(List.of()) : List.of();
    }

    /** A table holds nothing of this rule's business: the sweep's pass over one finds nothing. */
    @Override
    default List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings, Instant now) {
        return List.of();
    }

    /** Pure: decided on the record and on what {@link #callAugments()} read, so a rule that is off reads nothing. */
    @Override
    Optional<ResourceFinding> evaluateResource(ApiCall call, CallReads reads, Settings settings);
}
