package dev.ddbwarden;

import dev.ddbwarden.fix.FixContext;
import dev.ddbwarden.fix.Fixes;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.state.RegionalDynamo;

import java.time.Clock;

/** A rule's fixes as its function builds them, on the clients a test gives and with no ledger. */
public final class RuleFixes {

    private RuleFixes() {
    }

    public static Fixes of(Rule rule, RegionalDynamo dynamo) {
        return new Fixes(rule.fixes(new FixContext(dynamo, hold -> { }, Clock.systemUTC())));
    }
}
