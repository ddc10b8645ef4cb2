package dev.ddbwarden.policy;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges a DynamoDB resource policy statement by statement: which ones let in the public or accounts
 * the business does not trust, and the policy without them. Pure; the caller reads and writes policies.
 */
public final class PolicyAnalyzer {

    private PolicyAnalyzer() {
    }

    /** Never throws: a policy that cannot be read comes back with {@code invalid} set. */
    public static PolicyAnalysis analyze(String policyJson, Trust trust) {
        PolicyDocument policy;
        try {
            policy = PolicyDocument.parse(policyJson);
        } catch (PolicyDocument.Unreadable e) {
            return PolicyAnalysis.unreadable(e.getMessage());
        }
        return new PolicyAnalysis(policy.statements().stream()
                .map(s -> StatementRules.judge(s.index(), policy.text(s), s.node(), trust))
                .toList(), Optional.empty());
    }

    /**
     * The policy without the leaking statements, everything else equal (Version, Id, other keys, the
     * kept statements verbatim and in order); empty when no statement would remain (then the caller
     * deletes the policy).
     *
     * @param analysis what {@link #analyze} gave for this very policy text
     * @throws IllegalArgumentException when {@code analysis} is of another policy
     */
    public static Optional<String> withoutLeaks(String policyJson, PolicyAnalysis analysis) {
        if (!analysis.leaks()) {
            return Optional.of(policyJson);
        }
        PolicyDocument policy;
        try {
            policy = PolicyDocument.parse(policyJson);
        } catch (PolicyDocument.Unreadable e) {
            throw new IllegalArgumentException("the analysis is not of this policy: " + e.getMessage(), e);
        }
        for (StatementVerdict leak : analysis.leaking()) {
            boolean same = leak.index() >= 0 && leak.index() < policy.statements().size()
                    && policy.text(policy.statements().get(leak.index())).equals(leak.statementJson());
            if (!same) {
                throw new IllegalArgumentException("the analysis is not of this policy: statement "
                        + leak.index() + " differs");
            }
        }
        Set<Integer> leaking = analysis.leaking().stream().map(StatementVerdict::index).collect(Collectors.toSet());
        return policy.without(leaking);
    }
}
