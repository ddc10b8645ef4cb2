package dev.ddbwarden.metrics;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where every handler gets its metrics: Powertools' request-scoped metrics (POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_SERVICE_NAME as the Service dimension, one set of metrics per invocation), written by
 * {@link EmfMetrics} to standard output, where Lambda hands them to CloudWatch Logs.
 */
public final class WardenMetrics implements MetricsProvider {
    private static final String NAMESPACE_VARIABLE = "POWERTOOLS_METRICS_NAMESPACE";
    private static final String DISABLED_VARIABLE = "POWERTOOLS_METRICS_DISABLED";
    /** Lambda's Java runtime gives each invocation's trace header as this property; the variable holds init's. */
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final String TRACE_VARIABLE = "_X_AMZN_TRACE_ID";
    /** The namespace template.yaml sets; a run without the variable gets the same. */
    static final String DEFAULT_NAMESPACE = "ddb-warden";

    private WardenMetrics() {
    }

    /** Powertools' metrics, written by ours; installed on first use, before Powertools makes its own. */
    public static Metrics instance() {
        return Installed.METRICS;
    }

    private static final class Installed {
        static final Metrics METRICS = install();

        private static Metrics install() {
            MetricsFactory.setMetricsProvider(new WardenMetrics());
            Metrics metrics = MetricsFactory.getMetricsInstance();
            if (System.getenv(NAMESPACE_VARIABLE) == null) {
                metrics.setNamespace(DEFAULT_NAMESPACE);
            }
            return metrics;
        }
    }

    /** Powertools asks for one per invocation, so the trace read here is the invocation's. */
    @Override
    public Metrics getMetricsInstance() {
        // System.out is looked up per line: a local runner may redirect it after the handler is built.
        return new EmfMetrics(line -> System.out.println(line), Clock.systemUTC(),
                "true".equalsIgnoreCase(System.getenv(DISABLED_VARIABLE)),
                lambdaProperties(System::getenv, System.getProperty(TRACE_PROPERTY, System.getenv(TRACE_VARIABLE))));
    }

    /**
     * What the EMF library's Lambda environment wrote beside the values of every line, so that Logs Insights
     * queries over the metric lines keep working: the runtime, the function's version, its log stream, and the
     * X-Ray trace when it is sampled. Nothing off Lambda.
     */
    static Map<String, Object> lambdaProperties(Function<String, String> environment, String traceHeader) {
        if (environment.apply("AWS_LAMBDA_FUNCTION_NAME") == null) {
            return Map.of();
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        putIfPresent(properties, "executionEnvironment", environment.apply("AWS_EXECUTION_ENV"));
        putIfPresent(properties, "functionVersion", environment.apply("AWS_LAMBDA_FUNCTION_VERSION"));
        putIfPresent(properties, "logStreamId", environment.apply("AWS_LAMBDA_LOG_STREAM_NAME"));
        if (traceHeader != null && traceHeader.contains("Sampled=1")) {
            properties.put("traceId", traceHeader);
        }
        return properties;
    }

    private static void putIfPresent(Map<String, Object> properties, String key, String value) {
        if (value != null) {
            properties.put(key, value);
        }
    }
}
