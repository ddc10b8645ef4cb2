package dev.ddbwarden.local;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records, as IAM actions, the AWS calls made while a handler runs (registered for every SDK client
 * through the SDK's global interceptor list in test resources). The tests hold template.yaml's
 * grants against what the code really calls, not against what it claims to call.
 */
public final class RecordingInterceptor implements ExecutionInterceptor {
    private static final Map<String, String> PREFIXES = Map.of("dynamodb", "dynamodb", "sns", "sns", "sqs", "sqs");
    private static final ThreadLocal<Boolean> RECORDING = ThreadLocal.withInitial(() -> false);
    private static final List<String> CALLS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (RECORDING.get()) {
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT);
            CALLS.add(PREFIXES.getOrDefault(service, service) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }

    /** Runs {@code work}, recording the calls it makes on this thread. */
    static <T> T record(ThrowingSupplier<T> work) throws Exception {
        RECORDING.set(true);
        try {
            return work.get();
        } finally {
            RECORDING.set(false);
        }
    }

    /** Every action recorded since the JVM started, in order, with repeats. */
    static List<String> calls() {
        synchronized (CALLS) {
            return List.copyOf(CALLS);
        }
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
