package dev.ddbwarden.state;

import dev.ddbwarden.config.Settings;
import dev.ddbwarden.event.ApiCall;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a rule's {@link CallAugment}s read about a call that names no table (an AWS Backup vault, plan or recovery
 * point), handed to the rule's decision on that resource so that the decision stays pure. Empty reads are left out:
 * the decision then sees what the record alone says.
 */
public final class CallReads {
    private static final CallReads NONE = new CallReads(Map.of());

    private final Map<Class<?>, Object> reads;

    private CallReads(Map<Class<?>, Object> reads) {
        this.reads = Map.copyOf(reads);
    }

    /** Nothing read: the record alone. */
    public static CallReads none() {
        return NONE;
    }

    /** Reads each augment's state of {@code call} once. */
    public static CallReads read(List<CallAugment<?>> augments, ApiCall call, Settings settings) {
        Map<Class<?>, Object> read = new HashMap<>();
        for (CallAugment<?> augment : augments) {
            augment.read(call, settings).ifPresent(value -> read.put(augment.type(), value));
        }
        return read.isEmpty() ? NONE : new CallReads(read);
    }

    /** One augment's value, typed: a test hands its own in the same way. */
    public static <T> CallReads of(Class<T> type, T value) {
        return new CallReads(Map.of(type, value));
    }

    /** These reads and {@code value}, read by the pipeline rather than by one of the rule's augments (the ledger's holds). */
    public <T> CallReads with(Class<T> type, T value) {
        Map<Class<?>, Object> read = new HashMap<>(reads);
        read.put(type, value);
        return new CallReads(read);
    }

    public <T> Optional<T> get(Class<T> type) {
        return Optional.ofNullable(reads.get(type)).map(type::cast);
    }
}
