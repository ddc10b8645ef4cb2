package dev.ddbwarden.rules.guardrails;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.state.CallAugment;

import java.util.Optional;
import java.util.function.Function;

/**
 * The guardrails rule's one read, made at the edge so that its decision ({@link Guardrails}) stays pure: DescribePolicy
 * of the policy a call names, where the decision needs it ({@link Guardrails#needsRead}).
 */
final class PolicyLookup implements CallAugment<PolicyRead> {
    private final Function<String, PolicyReader> reader;

    /** @param reader AWS Organizations as an account reads it: the call's, which recorded it and may read its policies */
    PolicyLookup(Function<String, PolicyReader> reader) {
        this.reader = reader;
    }

    @Override
    public Class<PolicyRead> type() {
        return PolicyRead.class;
    }

    @Override
    public Optional<PolicyRead> read(ApiCall call, Settings settings) {
        if (!Guardrails.needsRead(call, GuardrailsRule.GUARDRAIL_POLICIES.in(settings))) {
            return Optional.empty();
        }
        return Optional.of(reader.apply(call.accountId()).describe(OrganizationCalls.policyId(call).orElseThrow(), call.region()));
    }
}
