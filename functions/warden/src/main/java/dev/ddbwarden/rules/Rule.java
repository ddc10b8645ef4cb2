package dev.ddbwarden.rules;

import dev.ddbwarden.check.Finding;
import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.check.SweptResources;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.event.TableLocator;
import dev.ddbwarden.event.TableRef;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.state.Augment;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.CallReads;
import dev.ddbwarden.state.TableState;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything that is one rule's, declared in its own package {@code dev.ddbwarden.rules.<rule>} and listed
 * once in {@link Rules}: the calls that trigger it, the state it reads beyond {@link TableState}, its pure
 * decision ({@link #evaluate}, no I/O, so every rule is tested without AWS), its remedies and the fixes
 * that apply them, and the IAM actions all of these need. Project-wide tests hold template.yaml's
 * patterns and permissions to exactly these declarations.
 */
public interface Rule {

    /** Short, stable name used in alerts, metrics, the ledger and settings. */
    String name();

    /** Logical ID in template.yaml of the function that runs this rule. */
    String function();

    /** The CloudTrail calls this rule reads, each with the request fields its EventBridge pattern filters on. */
    List<Trigger> triggers();

    /** The event names of {@link #triggers()}. */
    default Set<String> eventNames() {
        return Trigger.eventNames(triggers());
    }

    /** Whether {@code call} is one of this rule's triggers: the same event name from the same service. */
    default boolean reads(ApiCall call) {
        return triggers().stream().anyMatch(trigger -> trigger.matches(call));
    }

    /**
     * IAM actions on tables that this rule's reads ({@link TableState}, {@link #augments()}) and fixes need,
     * every action AWS documents for each call (documented-actions.md names the page).
     */
    Set<String> tableActions();

    /**
     * State beyond {@link TableState} that this rule decides on: read with the table, and only in the functions
     * that run the rules declaring it. Its own augment lives in its package; one another rule reads too lives in
     * {@code state} ({@code ResourcePolicies}, {@code Replicas}). Each augment's actions are part of
     * {@link #tableActions()}.
     */
    default List<Augment<?>> augments() {
        return List.of();
    }

    /**
     * State of the call's own resources that this rule decides on (an export's bucket), read once per call and
     * table before the first decision, beside {@link #augments()}. Their actions are in {@link #otherActions()}.
     */
    default List<CallAugment<?>> callAugments() {
        return List.of();
    }

    /**
     * IAM actions on resources other than tables (the KMS keys that encrypt tables, a Kinesis stream, or {@code *}
     * where IAM knows no resource) that this rule's reads and fixes need, every action AWS documents for each call;
     * template.yaml grants them in statements of their own, those on KMS keys on the account's keys only.
     */
    default Set<String> otherActions() {
        return Set.of();
    }

    /**
     * The sealed interface this rule's remedies implement (besides {@link Remedy.AlertOnly}): its permitted
     * records are the closed set of changes the rule can ask for, each applied by one of {@link #fixes}. A rule
     * that only alerts answers {@code Remedy.AlertOnly.class} and has no fixes.
     */
    Class<? extends Remedy> remedies();

    /** The fixes that apply this rule's remedies, one per permitted remedy record. */
    List<Fix<?>> fixes(FixContext context);

    /**
     * ddb-warden's own decisions on a table (its ledger's holds) that this rule's check reads, found in the state
     * as {@link dev.ddbwarden.check.Hold.Held}: a tag that declares something counts only beside its hold.
     */
    default Set<Hold.Kind> holds() {
        return Set.of();
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

    /**
     * Whether the pipeline may hand this rule's calls to its function's delayed re-check queue: to wait for a table
     * being made or changed, for CloudTrail to confirm who acted, or out a refusal of a fix. A rule that only alerts,
     * decides on no actor and awaits no table waits for nothing (RulesTest holds it to that), so its function has no
     * queue and its role no grant on one.
     */
    default boolean rechecks() {
        return true;
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
     * {@link #isCurrent(ApiCall, TableState)} for a rule whose wait depends on its settings (the tags rule waits a
     * moment for the tags REQUIRED_TAGS names, which the pipeline that made a table may write just after it).
     */
    default boolean isCurrent(ApiCall call, TableState state, Settings settings) {
        return isCurrent(call, state);
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
     * The finding on a call {@link #subjects} names no table in, whose subject is another resource (an AWS Backup
     * vault, plan or recovery point): decided on the record alone, by a rule that only alerts; a rule that reads the
     * resource (a DAX cluster and its role) does so in its {@link #callAugments()}, never here. The pipeline keeps
     * one ledger entry and sends one alert per event, so a re-delivery changes nothing. Empty when the record
     * shows nothing of this rule's business.
     */
    default Optional<ResourceFinding> evaluateResource(ApiCall call, Settings settings) {
        return Optional.empty();
    }

    /**
     * As {@link #evaluateResource(ApiCall, Settings)}, with what this rule's {@link #callAugments()} read about the
     * resource the call names (what an AWS Backup vault or recovery point holds, a DAX cluster and its role): the
     * pipeline reads them once, and the decision stays pure; for a rule that is off it reads none and hands
     * {@link CallReads#none()}. By default the record alone decides.
     */
    default Optional<ResourceFinding> evaluateResource(ApiCall call, CallReads reads, Settings settings) {
        return evaluateResource(call, settings);
    }

    /**
     * Every finding on a call decided on the record, one per resource: a call that touches several tables (a batch
     * or transaction data event) may find several, each its own ledger entry and alert. By default the one of
     * {@link #evaluateResource(ApiCall, CallReads, Settings)}.
     */
    default List<ResourceFinding> evaluateResources(ApiCall call, CallReads reads, Settings settings) {
        return evaluateResource(call, reads, settings).stream().toList();
    }

    /**
     * The sweep's findings on resources other than tables that this rule watches in {@code account}'s {@code region} (a
     * DAX cluster), read with its own clients in that account ({@link dev.ddbwarden.config.PerAccount}: the member role
     * elsewhere) and decided as its events are, with the resources read that gave no finding; none by default. The
     * sweep asks once per account and region, on the region's first page, alerts each finding once per sweep and closes
     * the compliant resources' findings.
     */
    default SweptResources sweepResources(String account, String region, Settings settings) {
        return SweptResources.none();
    }

    /** The IAM actions {@link #sweepResources}' reads need, granted to the sweep's role as well as the rule's. */
    default Set<String> sweepActions() {
        return Set.of();
    }

    /**
     * How this rule's function finds {@link #subjects}: without a read by default. A rule whose calls name no
     * table (a KMS key's) reads them here, with clients it builds in its own package from {@code context}.
     */
    default SubjectLookup subjectLookup(FixContext context) {
        return (call, budget) -> subjects(call);
    }

    /**
     * The settings a decision sees when CloudTrail has not confirmed who acted: nobody approved, and for a rule that
     * relaxes on who acted ({@link #decidesOnActor}) no security role either, so the actor is confirmed for them too.
     */
    default Settings unconfirmed(Settings settings) {
        return decidesOnActor() ? settings.withoutTrustedActors() : settings.withoutApprovals();
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

    /**
     * Refuses settings this rule cannot act on safely (a {@code ConfigException}), at start and on every re-read:
     * refused settings are kept out like any invalid ones, and the last good ones stay.
     *
     * @param homeRegion the function's own region, looked up only by a rule that asks
     */
    default void requireSettings(Settings settings, Supplier<String> homeRegion) {
    }

    /**
     * The names of the facts this rule keeps in the ledger's memory of a table ({@link #toRemember}) and finds
     * again, as {@code state.augment(LastSeen.class)}, with every read of the table in its function.
     */
    default Set<String> remembers() {
        return Set.of();
    }

    /**
     * The facts of {@link #remembers()} worth remembering from a live state this rule found compliant (the
     * pipeline writes those that changed), for a later fix to restore what a change took away.
     */
    default Map<String, String> toRemember(TableState compliant) {
        return Map.of();
    }

    /** The settings this rule alone reads (lines of the settings parameter), parsed by every function at start. */
    default List<RuleSetting<?>> settings() {
        return List.of();
    }
}
