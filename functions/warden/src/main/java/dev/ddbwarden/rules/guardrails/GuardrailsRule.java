package dev.ddbwarden.rules.guardrails;

import dev.ddbwarden.check.ResourceFinding;
import dev.ddbwarden.config.Lazy;
import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.rules.ResourceRule;
import dev.ddbwarden.rules.RuleSetting;
import dev.ddbwarden.rules.Trigger;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.CallReads;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.ddbwarden.rules.guardrails.OrganizationCalls.DELETE;
import static dev.ddbwarden.rules.guardrails.OrganizationCalls.DETACH;
import static dev.ddbwarden.rules.guardrails.OrganizationCalls.DISABLE_TYPE;
import static dev.ddbwarden.rules.guardrails.OrganizationCalls.SOURCE;
import static dev.ddbwarden.rules.guardrails.OrganizationCalls.UPDATE;

/**
 * ddb-warden's own preventive layer taken away: an AWS Organizations DetachPolicy, DeletePolicy or UpdatePolicy of
 * one of the SCPs or the RCP it ships in scp/, or a DisablePolicyType switching every SCP or RCP of the organization
 * off → CRITICAL, with the actor, which statements of which shipped policy no longer apply where, and the commands
 * that put them back. No fix: an organization's policies are its administrators' to change back.
 *
 * <p>AWS Organizations records these calls in the management account (or the delegated administrator's) in
 * us-east-1 only; docs/guardrails.md says where this rule's function must run and how its events get there. Where no
 * such event arrives, the function does nothing. The records name the policy by ID only, so its name, type and
 * content are read with DescribePolicy ({@link OrganizationsApi}) by the rule's call augment ({@link PolicyLookup}) in the
 * account that recorded the call, only for a call that names a policy, and never while the rule is off.
 */
public final class GuardrailsRule implements ResourceRule {
    public static final String RULE = Guardrails.RULE;
    static final RuleSetting<GuardedPolicies> GUARDRAIL_POLICIES = new RuleSetting<>(GuardedPolicies.SETTING,
            GuardedPolicies::parse, GuardedPolicies.DEFAULT);
    private static final List<Trigger> TRIGGERS = List.of(Trigger.from(SOURCE, DETACH), Trigger.from(SOURCE, DELETE),
            Trigger.from(SOURCE, UPDATE), Trigger.from(SOURCE, DISABLE_TYPE));

    private final PolicyLookup lookup;
    private final Supplier<ShippedPolicies> shipped;

    public GuardrailsRule() {
        this(OrganizationsApi.perAccount(), Lazy.of(ShippedPolicies::load));
    }

    /** @param reader AWS Organizations in an account, or a stub in tests; asked for only when a call names a policy */
    GuardrailsRule(Function<String, PolicyReader> reader, Supplier<ShippedPolicies> shipped) {
        this.lookup = new PolicyLookup(reader);
        this.shipped = shipped;
    }

    @Override
    public String name() {
        return RULE;
    }

    @Override
    public String function() {
        return "GuardrailsFunction";
    }

    @Override
    public List<Trigger> triggers() {
        return TRIGGERS;
    }

    /** DescribePolicy, of whichever policy a call names: docs/guardrails.md says why of every type. */
    @Override
    public Set<String> otherActions() {
        return Set.of("organizations:DescribePolicy");
    }

    @Override
    public List<RuleSetting<?>> settings() {
        return List.of(GUARDRAIL_POLICIES);
    }

    /** DescribePolicy of the policy a call names, read before the decision ({@link PolicyLookup}). */
    @Override
    public List<CallAugment<?>> callAugments() {
        return List.of(lookup);
    }

    /** Pure: decided on the record and on what {@link #callAugments()} read of the policy. */
    @Override
    public Optional<ResourceFinding> evaluateResource(ApiCall call, CallReads reads, Settings settings) {
        if (!reads(call)) {
            return Optional.empty();
        }
        return new Guardrails(GUARDRAIL_POLICIES.in(settings), shipped.get()).decide(call, reads.get(PolicyRead.class));
    }
}
