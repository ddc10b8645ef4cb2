package dev.ddbwarden.metrics;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

import java.time.Clock;

/**
 * Where every handler gets its metrics: Powertools' request-scoped metrics (POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_SERVICE_NAME as the Service dimension, one set of metrics per invocation), written by
 * {@link EmfMetrics} to standard output, where Lambda hands them to CloudWatch Logs.
 */
public final class WardenMetrics implements MetricsProvider {
    private static final String NAMESPACE_VARIABLE = "POWERTOOLS_METRICS_NAMESPACE";
    private static final String DISABLED_VARIABLE = "POWERTOOLS_METRICS_DISABLED";
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

    @Override
    public Metrics getMetricsInstance() {
        // System.out is looked up per line: a local runner may redirect it after the handler is built.
        return new EmfMetrics(line -> System.out.println(line), Clock.systemUTC(),
                "true".equalsIgnoreCase(System.getenv(DISABLED_VARIABLE)));
    }
}
