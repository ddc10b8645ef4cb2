package dev.ddbwarden.check;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One rule: a pure decision on a call and the live state of the table it names. No I/O happens here,
 * so every rule is tested without AWS. Each check states its contract as data: the events that
 * trigger it and the IAM actions its reads and fixes need (a project-wide test holds template.yaml
 * to exactly those).
 */
public interface Check {

    /** Short, stable name used in alerts, metrics and the ledger. */
    String rule();

    /** Logical ID in template.yaml of the function that runs this rule. */
    String function();

    /** CloudTrail event names whose records this rule reads. */
    Set<String> triggers();

    /** IAM actions on tables that reading the state and applying this rule's fixes need. */
    Set<String> tableActions();

    /** Whether the rule needs the resource policies of the table and its stream read. */
    default boolean readsPolicies() {
        return false;
    }

    /**
     * Whether EXEMPT_TABLES and an approved decommission keep this rule away from a table. A rule the
     * business may not waive (where data may live) reports exempt tables all the same.
     */
    default boolean honoursExemptions() {
        return true;
    }

    /**
     * Whether a decision of this rule may relax protection because of who acted (ApprovedPrincipals): the
     * pipeline then confirms the actor with CloudTrail's record, and the rule's role may call LookupEvents.
     */
    default boolean decidesOnActor() {
        return false;
    }

    /** Whether the rule looks at calls that failed (most act only on what changed). */
    default boolean readsFailedCalls() {
        return false;
    }

    /**
     * Whether the live state already shows what the call did. Reads are eventually consistent after a
     * write, so the pipeline reads again (a bounded number of times) while this is false, then decides
     * on what is live.
     */
    default boolean isCurrent(ApiCall call, TableState state) {
        return true;
    }

    /**
     * Whether, when the live state still does not show the call after the bounded re-reads, deciding on
     * it is right. True for most calls (a later change superseded this one); false where an invisible
     * write would be mistaken for a compliant table.
     */
    default boolean mayDecideOnStaleState(ApiCall call) {
        return true;
    }

    /** The tables a call is about; most rules look at the one table the call names. */
    default List<TableRef> subjects(ApiCall call) {
        return TableLocator.locate(call).map(List::of).orElse(List.of());
    }

    /**
     * Whether a subject the live state does not show yet is one the call is still making (a new replica):
     * the pipeline then re-checks it later rather than deciding on its absence.
     */
    default boolean awaitsTable(ApiCall call, TableRef table, Settings settings) {
        return false;
    }

    /**
     * Findings for {@code table} given its live state, empty when it is compliant; at most one per table,
     * since one violation makes one ledger entry and one alert.
     *
     * @param state empty when the table does not exist (any more)
     */
    List<Finding> evaluate(ApiCall call, TableRef table, Optional<TableState> state, Settings settings, Instant now);
}
