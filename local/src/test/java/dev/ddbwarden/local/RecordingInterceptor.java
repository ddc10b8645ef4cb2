package dev.ddbwarden.local;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Records, as IAM actions, the AWS calls made while a handler runs (registered for every SDK client
 * through the SDK's global interceptor list in test resources). The tests hold template.yaml's
 * grants against what the code really calls, not against what it claims to call.
 */
public final class RecordingInterceptor implements ExecutionInterceptor {
    private static final ThreadLocal<String> FUNCTION = new ThreadLocal<>();
    private static final List<Call> CALLS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String function = FUNCTION.get();
        if (function != null) {
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT);
            CALLS.add(new Call(function, service + ":" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)));
        }
    }

    /** Runs {@code work} as {@code function}, recording the calls it makes on this thread. */
    static <T> T record(String function, ThrowingSupplier<T> work) throws Exception {
        FUNCTION.set(function);
        try {
            return work.get();
        } finally {
            FUNCTION.remove();
        }
    }

    /** Every action recorded since the JVM started, in order, with repeats. */
    static List<String> calls() {
        synchronized (CALLS) {
            return CALLS.stream().map(Call::action).collect(Collectors.toList());
        }
    }

    /** The actions recorded while {@code function} ran. */
    static List<String> calls(String function) {
        synchronized (CALLS) {
            return CALLS.stream().filter(c -> c.function().equals(function)).map(Call::action).collect(Collectors.toList());
        }
    }

    private record Call(String function, String action) {
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
