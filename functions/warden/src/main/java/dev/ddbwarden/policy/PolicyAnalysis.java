package dev.ddbwarden.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What each statement of a resource policy exposes.
 *
 * @param invalid why the policy could not be read; then there are no statements
 */
public record PolicyAnalysis(List<StatementVerdict> statements, Optional<String> invalid) {

    public PolicyAnalysis {
        statements = List.copyOf(statements);
    }

    static PolicyAnalysis unreadable(String reason) {
        return new PolicyAnalysis(List.of(), Optional.of(reason));
    }

    public Exposure worst() {
        return statements.stream().map(StatementVerdict::exposure).max(Comparator.naturalOrder())
                .orElse(Exposure.NONE);
    }

    public List<StatementVerdict> leaking() {
        return statements.stream().filter(s -> s.exposure() != Exposure.NONE).toList();
    }

    public boolean leaks() {
        return worst() != Exposure.NONE;
    }
}
