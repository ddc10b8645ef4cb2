package dev.ddbwarden.handler;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;
import dev.ddbwarden.rules.Rule;
import dev.ddbwarden.state.CallAugment;
import dev.ddbwarden.state.TableState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a rule's {@link CallAugment}s read about one call, read once and laid onto every state the pipeline
 * decides on for it (a re-read of the table does not repeat a read about the call).
 */
final class CallFacts {
    private static final CallFacts NONE = new CallFacts(List.of());

    private final List<Fact<?>> facts;

    private CallFacts(List<Fact<?>> facts) {
        this.facts = List.copyOf(facts);
    }

    static CallFacts read(Rule rule, ApiCall call, Settings settings) {
        if (rule.callAugments().isEmpty()) {
            return NONE;
        }
        List<Fact<?>> read = new ArrayList<>();
        for (CallAugment<?> augment : rule.callAugments()) {
            read(augment, call, settings).ifPresent(read::add);
        }
        return new CallFacts(read);
    }

    private static <T> Optional<Fact<?>> read(CallAugment<T> augment, ApiCall call, Settings settings) {
        return augment.read(call, settings).map(value -> new Fact<>(augment.type(), value));
    }

    Optional<TableState> onto(Optional<TableState> state) {
        if (facts.isEmpty()) {
            return state;
        }
        return state.map(s -> {
            TableState with = s;
            for (Fact<?> fact : facts) {
                with = fact.onto(with);
            }
            return with;
        });
    }

    private record Fact<T>(Class<T> type, T value) {
        TableState onto(TableState state) {
            return state.withAugment(type, value);
        }
    }
}
