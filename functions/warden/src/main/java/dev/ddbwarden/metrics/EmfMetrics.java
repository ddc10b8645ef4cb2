package dev.ddbwarden.metrics;

import com.amazonaws.services.lambda.runtime.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One invocation's metrics, written as EMF lines (see {@link EmfLine}) when flushed. It keeps what Powertools'
 * EMF logger wrote for the same calls: the default dimensions (Powertools sets Service) form one dimension
 * set and each {@code addDimension} another, a metric added twice keeps both values, a flush with no metric
 * writes nothing and warns, and POWERTOOLS_METRICS_DISABLED=true silences it. It replaces that logger because
 * the EMF library behind it serialized through Jackson's bean introspection, the largest part of a cold
 * start's first flush (bench/cold-start), and probed EC2 metadata when it ran outside Lambda.
 */
final class EmfMetrics implements Metrics {
    private static final Logger LOG = LoggerFactory.getLogger(EmfMetrics.class);
    /** CloudWatch's rules for a namespace. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z0-9._#:/-]{1,255}");
    private static final int MAX_NAME_LENGTH = 1024;
    /** How far from now CloudWatch accepts a metric's timestamp. */
    private static final Duration MAX_AGE = Duration.ofDays(14);
    private static final Duration MAX_AHEAD = Duration.ofHours(2);
    private static final String COLD_START = "ColdStart";
    private static final AtomicBoolean COLD_START_WRITTEN = new AtomicBoolean();

    private final Consumer<String> sink;
    private final Clock clock;
    private final boolean disabled;
    /** Written at the root of every line, beside the values: where and as what the function ran. */
    private final Map<String, Object> properties;
    private String namespace;
    private boolean raiseOnEmptyMetrics;
    private Map<String, String> defaultDimensions = new LinkedHashMap<>();
    private final List<Map<String, String>> dimensionSets = new ArrayList<>();
    private final Map<String, MetricValues> metrics = new LinkedHashMap<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private Instant timestamp;

    EmfMetrics(Consumer<String> sink, Clock clock, boolean disabled, Map<String, Object> properties) {
        this.sink = sink;
        this.clock = clock;
        this.disabled = disabled;
        this.properties = Map.copyOf(properties);
    }

    /** A metric's values while they are being added; its unit and resolution are the first call's. */
    private record MetricValues(String unit, boolean highResolution, List<Double> values) {
    }

    @Override
    public synchronized void addMetric(String key, double value, MetricUnit unit, MetricResolution resolution) {
        if (key == null || key.isBlank() || key.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a metric name must be 1 to " + MAX_NAME_LENGTH + " characters: " + key);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric " + key + " must be a finite number, not " + value);
        }
        metrics.computeIfAbsent(key, k -> new MetricValues((unit == null ? MetricUnit.NONE : unit).getName(),
                resolution == MetricResolution.HIGH, new ArrayList<>())).values().add(value);
    }

    @Override
    public synchronized void addDimension(DimensionSet dimensionSet) {
        if (dimensionSet == null) {
            throw new IllegalArgumentException("DimensionSet cannot be null");
        }
        dimensionSets.add(new LinkedHashMap<>(dimensionSet.getDimensions()));
    }

    @Override
    public synchronized void setTimestamp(Instant timestamp) {
        Instant now = clock.instant();
        if (timestamp == null || timestamp.isBefore(now.minus(MAX_AGE)) || timestamp.isAfter(now.plus(MAX_AHEAD))) {
            throw new IllegalArgumentException("CloudWatch takes a metric timestamp from 14 days ago to 2 hours ahead, not "
                    + timestamp);
        }
        this.timestamp = timestamp;
    }

    @Override
    public synchronized void addMetadata(String key, Object value) {
        metadata.put(key, value);
    }

    @Override
    public synchronized void setDefaultDimensions(DimensionSet dimensionSet) {
        if (dimensionSet == null) {
            throw new IllegalArgumentException("DimensionSet cannot be null");
        }
        defaultDimensions = new LinkedHashMap<>(dimensionSet.getDimensions());
    }

    @Override
    public synchronized DimensionSet getDefaultDimensions() {
        return DimensionSet.of(defaultDimensions);
    }

    @Override
    public synchronized void setNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("a metrics namespace is 1 to 255 of [a-zA-Z0-9._#:/-], not " + namespace);
        }
        this.namespace = namespace;
    }

    @Override
    public synchronized void setRaiseOnEmptyMetrics(boolean raiseOnEmptyMetrics) {
        this.raiseOnEmptyMetrics = raiseOnEmptyMetrics;
    }

    @Override
    public synchronized void clearDefaultDimensions() {
        defaultDimensions.clear();
    }

    /** Writes the metrics added since the last flush; the dimensions stay for the next. */
    @Override
    public synchronized void flush() {
        if (disabled) {
            metrics.clear();
            return;
        }
        if (namespace == null) {
            throw new IllegalStateException("a metrics namespace must be set before metrics are flushed");
        }
        if (metrics.isEmpty()) {
            if (raiseOnEmptyMetrics) {
                throw new IllegalStateException("No metrics were emitted");
            }
            LOG.warn("No metrics were emitted");
            return;
        }
        List<EmfLine.Metric> recorded = new ArrayList<>(metrics.size());
        metrics.forEach((name, m) -> recorded.add(new EmfLine.Metric(name, m.unit(), m.highResolution(), m.values())));
        write(recorded, allDimensionSets(), metadata, properties);
        metrics.clear();
        metadata.clear();
        timestamp = null;
    }

    @Override
    public void captureColdStartMetric(Context context, DimensionSet dimensions) {
        Map<String, Object> properties = new LinkedHashMap<>(this.properties);
        if (context != null) {
            properties.put("function_request_id", context.getAwsRequestId());
        }
        List<Map<String, String>> sets = dimensions == null ? List.of() : List.of(dimensions.getDimensions());
        synchronized (this) {
            if (namespace == null) {
                throw new IllegalStateException("a metrics namespace must be set before metrics are flushed");
            }
            // Checked last: a call refused above leaves the container's cold start still to be counted.
            if (disabled || !COLD_START_WRITTEN.compareAndSet(false, true)) {
                return;
            }
            write(List.of(new EmfLine.Metric(COLD_START, MetricUnit.COUNT.getName(), false, List.of(1.0))), sets, Map.of(),
                    properties);
        }
    }

    @Override
    public void captureColdStartMetric(DimensionSet dimensions) {
        captureColdStartMetric(null, dimensions);
    }

    /** The consumer's metrics go out on their own, in this namespace and with these default dimensions. */
    @Override
    public void flushMetrics(Consumer<Metrics> metricsConsumer) {
        EmfMetrics separate = new EmfMetrics(sink, clock, disabled, properties);
        synchronized (this) {
            separate.namespace = namespace;
            separate.defaultDimensions = new LinkedHashMap<>(defaultDimensions);
        }
        metricsConsumer.accept(separate);
        separate.flush();
    }

    private List<Map<String, String>> allDimensionSets() {
        List<Map<String, String>> sets = new ArrayList<>(dimensionSets.size() + 1);
        if (!defaultDimensions.isEmpty()) {
            sets.add(defaultDimensions);
        }
        sets.addAll(dimensionSets);
        return sets;
    }

    private void write(List<EmfLine.Metric> recorded, List<Map<String, String>> sets, Map<String, Object> metadata,
                       Map<String, Object> properties) {
        long millis = (timestamp == null ? clock.instant() : timestamp).toEpochMilli();
        for (String line : EmfLine.render(new EmfLine.Context(namespace, millis, sets, metadata, properties), recorded)) {
            sink.accept(line);
        }
    }
}
