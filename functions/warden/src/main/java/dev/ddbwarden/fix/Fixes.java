package dev.ddbwarden.fix;

import dev.ddbwarden.check.Hold;
import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.state.RegionalDynamo;
import dev.ddbwarden.state.TableState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every fix, registered in this one place and looked up by the remedy it applies. */
public final class Fixes {
    private final Map<Class<? extends Remedy>, Fix<?>> byRemedy;

    /** Fixes with one client for every region, recording their holds in no ledger. */
    public Fixes(DynamoDbClient dynamo) {
        this(RegionalDynamo.single(dynamo));
    }

    /** Fixes recording their holds in no ledger (a run without LEDGER_TABLE). */
    public Fixes(RegionalDynamo dynamo) {
        this(dynamo, hold -> { }, Clock.systemUTC());
    }

    /**
     * @param holds where a quarantine or decommission is held (the ledger's {@code hold}), before its tag is written:
     *              the fixes take that one call, so that they depend on no ledger
     */
    public Fixes(RegionalDynamo dynamo, Consumer<Hold> holds, Clock clock) {
        this.byRemedy = List.<Fix<?>>of(new EnableDeletionProtectionFix(dynamo), new MarkDecommissionFix(dynamo, holds, clock),
                        new RemovePolicyStatementsFix(dynamo), new QuarantineFix(dynamo, holds, clock), new RemoveReplicasFix(dynamo))
                .stream()
                .collect(Collectors.toUnmodifiableMap(Fix::remedy, Function.identity()));
    }

    /** Applies the remedy; an {@link Remedy.AlertOnly} finding changes nothing. */
    public Outcome apply(Remedy remedy, TableState state) {
        if (remedy instanceof Remedy.AlertOnly) {
            return new Outcome(Outcome.Action.ALERTED, remedy.done(), state);
        }
        return run(fixFor(remedy.getClass()), remedy, state);
    }

    /** The remedy kinds this registry can apply, for the test that every remedy has a fix. */
    public Set<Class<? extends Remedy>> remedies() {
        return byRemedy.keySet();
    }

    public Set<String> actionsFor(Class<? extends Remedy> remedy) {
        return remedy == Remedy.AlertOnly.class ? Set.of() : fixFor(remedy).actions();
    }

    private Fix<?> fixFor(Class<? extends Remedy> remedy) {
        Fix<?> fix = byRemedy.get(remedy);
        if (fix == null) {
            throw new IllegalStateException("no fix is registered for " + remedy.getSimpleName());
        }
        return fix;
    }

    private static <R extends Remedy> Outcome run(Fix<R> fix, Remedy remedy, TableState state) {
        return fix.apply(fix.remedy().cast(remedy), state);
    }
}
