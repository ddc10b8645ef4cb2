package dev.ddbwarden.rules;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.fix.Fix;
import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.state.TableReader;

import java.util.List;
import java.util.Set;

/**
 * A rule that only alerts, on what the record and its own reads say at once (backups, guardrails, dax, iam-users):
 * nothing it finds can be put back by ddb-warden, so it has no fix, and nothing to wait for, so its function has no
 * re-check queue (RulesTest holds such a rule to that). Its role holds the spine's table reads, which every rule
 * function makes (priming describes a table), and its own {@link #otherActions()}.
 */
public interface AlertOnlyRule extends Rule {
    @Override
    default Set<String> tableActions() {
        return TableReader.ACTIONS;
    }

    @Override
    default Class<? extends Remedy> remedies() {
        return Remedy.AlertOnly.class;
    }

    @Override
    default List<Fix<?>> fixes(FixContext context) {
        return List.of();
    }

    @Override
    default boolean rechecks() {
        return false;
    }
}
