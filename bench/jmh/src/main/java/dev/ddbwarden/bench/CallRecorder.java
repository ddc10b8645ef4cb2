package dev.ddbwarden.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.ArrayList;
import java.util.List;

/**
 * Records the operation name of every SDK call made in this JVM while recording is on, so a benchmark
 * can say which calls each side made. Loaded by the SDK as a global interceptor (the classpath resource
 * software/amazon/awssdk/global/handlers/execution.interceptors), so it sees the handler's own clients
 * without any change to them; when off it costs one volatile read per call, on both sides alike.
 */
public final class CallRecorder implements ExecutionInterceptor {
    private static final List<String> CALLS = new ArrayList<>();
    private static volatile boolean recording;

    /** Starts recording, forgetting what was recorded before. */
    public static synchronized void start() {
        CALLS.clear();
        recording = true;
    }

    /** Stops recording and returns the calls made since {@link #start()}, in order. */
    public static synchronized List<String> stop() {
        recording = false;
        return List.copyOf(CALLS);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (recording) {
            synchronized (CallRecorder.class) {
                CALLS.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        }
    }
}
