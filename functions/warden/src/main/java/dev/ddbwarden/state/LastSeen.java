package dev.ddbwarden.state;

import java.util.Map;
import java.util.Optional;

/**
 * What ddb-warden last saw on a table it found compliant, as the ledger remembers it: the running rule's facts
 * only, found by its check with {@code state.augment(LastSeen.class)}. A hint for what a fix restores, never a
 * reason to relax one: a rule checks a remembered value against its settings before it uses it.
 *
 * @param facts by the names the rule declares ({@code Rule.remembers()}); empty when the table was never seen
 */
public record LastSeen(Map<String, String> facts) {

    public LastSeen {
        facts = Map.copyOf(facts);
    }

    public Optional<String> fact(String name) {
        return Optional.ofNullable(facts.get(name));
    }
}
