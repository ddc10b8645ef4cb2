package dev.ddbwarden.fix;

import dev.ddbwarden.check.Remedy;
import dev.ddbwarden.state.TableState;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One rule's fixes ({@code Rule.fixes}), looked up by the remedy each applies. */
public final class Fixes {
    private final Map<Class<? extends Remedy>, Fix<?>> byRemedy;

    public Fixes(List<Fix<?>> fixes) {
        this.byRemedy = fixes.stream().collect(Collectors.toUnmodifiableMap(Fix::remedy, Function.identity()));
    }

    /** Applies the remedy; an {@link Remedy.AlertOnly} finding changes nothing. */
    public Outcome apply(Remedy remedy, TableState state) {
        if (remedy instanceof Remedy.AlertOnly) {
            return new Outcome(Outcome.Action.ALERTED, remedy.done(), state);
        }
        return run(fixFor(remedy.getClass()), remedy, state);
    }

    /** The remedy kinds these fixes apply, for the test that every remedy has a fix. */
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
