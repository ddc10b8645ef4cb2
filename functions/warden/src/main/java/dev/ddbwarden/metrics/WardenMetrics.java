package dev.ddbwarden.metrics;

import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;

/**
 * Where every handler gets its metrics: Powertools' request-scoped metrics (POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_SERVICE_NAME as the Service dimension, one set of metrics per invocation), written by its EMF logger
 * to standard output, where Lambda hands them to CloudWatch Logs.
 */
public final class WardenMetrics {
    private static final String NAMESPACE_VARIABLE = "POWERTOOLS_METRICS_NAMESPACE";
    private static final String SERVICE_VARIABLE = "POWERTOOLS_SERVICE_NAME";
    private static final String EMF_ENVIRONMENT_VARIABLE = "AWS_EMF_ENVIRONMENT";
    /** The namespace and service template.yaml sets; a run without the variables gets the same. */
    static final String DEFAULT_NAMESPACE = "ddb-warden";

    private WardenMetrics() {
    }

    /** Powertools' metrics, set up on first use. */
    public static Metrics instance() {
        return Installed.METRICS;
    }

    private static final class Installed {
        static final Metrics METRICS = install();

        private static Metrics install() {
            // Lambda's environment prints to standard output. Left to find its environment, the EMF library would
            // probe EC2's metadata service and then send to a CloudWatch agent wherever AWS_LAMBDA_FUNCTION_NAME is
            // unset, as in the local runner's sweep, which runs the handler in its own JVM.
            if (System.getenv(EMF_ENVIRONMENT_VARIABLE) == null) {
                EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Lambda);
            }
            Metrics metrics = MetricsFactory.getMetricsInstance();
            if (System.getenv(NAMESPACE_VARIABLE) == null) {
                metrics.setNamespace(DEFAULT_NAMESPACE);
            }
            // Without a service, the EMF library's own default dimensions (LogGroup, ServiceName, ServiceType) would
            // replace Service in every dimension set, and the alarms on Service and Rule would see nothing.
            if (System.getenv(SERVICE_VARIABLE) == null) {
                metrics.setDefaultDimensions(DimensionSet.of("Service", DEFAULT_NAMESPACE));
            }
            return metrics;
        }
    }
}
