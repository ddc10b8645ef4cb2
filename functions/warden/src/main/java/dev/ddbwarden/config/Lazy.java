package dev.ddbwarden.config;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value built on first use, then kept: for a client the common path never needs, whose construction
 * would otherwise lengthen every cold start. Safe to share between threads.
 */
public final class Lazy<T> implements Supplier<T> {
    private Supplier<? extends T> factory;
    private T value;

    private Lazy(Supplier<? extends T> factory) {
        this.factory = factory;
    }

    public static <T> Lazy<T> of(Supplier<? extends T> factory) {
        return new Lazy<>(Objects.requireNonNull(factory, "factory"));
    }

    @Override
    public synchronized T get() {
        if (factory != null) {
            value = factory.get();
            factory = null;
        }
        return value;
    }
}
