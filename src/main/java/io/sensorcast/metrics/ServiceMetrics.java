package io.sensorcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sensorcast.anomaly.AnomalyScore;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.ingest.ControlAction;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.topology.TopologyMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The serving path's metrics on a Micrometer registry, named by Prometheus conventions. */
public final class ServiceMetrics implements TopologyMetrics {

    /**
     * Error gauges are exported for the newest model version scored only: Prometheus keeps the history by
     * version, and a frozen gauge of a retired version would otherwise keep alerting.
     */
    private static final int VERSIONS_KEPT = 1;
    /** The sensor label of anomalies of sensors not in metrics.sensors. */
    static final String OTHER_SENSORS = "other";

    private final MeterRegistry registry;
    private final PipelineConfig config;
    private final Counter eventsIn;
    private final Counter forecastsOut;
    private final AtomicLong keysHeld = new AtomicLong();
    private final Map<RejectReason, Counter> deadLetters = new EnumMap<>(RejectReason.class);
    private final Counter redeliveriesSkipped;
    private final Counter controlIn;
    private final Counter sensorsEvicted;
    private final Timer evictionSlice;
    private final DistributionSummary evictionSliceSensors;
    private final Timer stepDuration;
    private final DistributionSummary eventLag;
    private final Map<Long, ErrorWindow> windows = new ConcurrentHashMap<>();
    private final Map<Long, List<Meter>> windowMeters = new ConcurrentHashMap<>();
    private final Set<String> watched;
    private final Map<String, AtomicReference<double[]>> watchedValues = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<double[]>> watchedQuantiles = new ConcurrentHashMap<>();
    private final CoverageWindow coverage;

    public ServiceMetrics(MeterRegistry registry, PipelineConfig config) {
        this.registry = registry;
        this.config = config;
        String events = config.topics().events();
        this.eventsIn = Counter.builder("sensorcast.events.in").description("Records read from the events topic")
                .tag("topic", events).register(registry);
        this.forecastsOut = Counter.builder("sensorcast.forecasts.out").description("Forecasts published")
                .tag("topic", config.topics().forecasts()).register(registry);
        Gauge.builder("sensorcast.active.keys", keysHeld, AtomicLong::get)
                .description("Sensors whose state this instance's active tasks hold").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            deadLetters.put(reason, Counter.builder("sensorcast.dead.letters")
                    .description("Records (events, control records) sent to the dead-letter topic, by reason").tag("reason", reason.name())
                    .register(registry));
        }
        this.redeliveriesSkipped = Counter.builder("sensorcast.redeliveries.skipped")
                .description("Events skipped because their sensor had already accepted them (at_least_once redeliveries"
                        + " after an unclean stop)").register(registry);
        this.controlIn = Counter.builder("sensorcast.control.in").description("Records read from the control topic")
                .tag("topic", config.topics().control()).register(registry);
        for (ControlAction action : ControlAction.values()) {
            for (String known : List.of("true", "false")) {
                controlCounter(action, known);
            }
        }
        this.sensorsEvicted = Counter.builder("sensorcast.sensors.evicted")
                .description("Sensors forgotten because they sent no event for state.idleTtl (event time)")
                .register(registry);
        this.evictionSlice = Timer.builder("sensorcast.eviction.slice.duration")
                .description("Time one slice of the idle-sensor sweep held the stream thread (examine, delete)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        this.evictionSliceSensors = DistributionSummary.builder("sensorcast.eviction.slice.sensors")
                .description("Sensors one slice of the idle-sensor sweep examined (at most state.evictionBatch)")
                .register(registry);
        this.stepDuration = Timer.builder("sensorcast.step.duration")
                .description("Time to advance one sensor by one event: state read, recurrent step, state write")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofMillis(100)).register(registry);
        this.eventLag = DistributionSummary.builder("sensorcast.event.lag").baseUnit("seconds")
                .description("Time from an event's timestamp to the publication of its forecast")
                .publishPercentileHistogram().minimumExpectedValue(0.001).maximumExpectedValue(86_400.0).register(registry);
        this.watched = Set.copyOf(config.metrics().sensors());
        for (String sensor : watched) {
            AtomicReference<double[]> latest = new AtomicReference<>(new double[1 + config.horizon()]);
            Arrays.fill(latest.get(), Double.NaN);
            watchedValues.put(sensor, latest);
            Gauge.builder("sensorcast.forecast.actual", latest, r -> r.get()[0])
                    .description("Latest value of a watched sensor (metrics.sensors)").tag("sensor", sensor)
                    .register(registry);
            for (int h = 1; h <= config.horizon(); h++) {
                int index = h;
                Gauge.builder("sensorcast.forecast.predicted", latest, r -> r.get()[index])
                        .description("Latest forecast of a watched sensor's value h events ahead (metrics.sensors)")
                        .tags(Tags.of("sensor", sensor, "horizon", Integer.toString(h))).register(registry);
            }
            double[] levels = config.forecast().levels();
            AtomicReference<double[]> quantiles = new AtomicReference<>(new double[levels.length * config.horizon()]);
            Arrays.fill(quantiles.get(), Double.NaN);
            watchedQuantiles.put(sensor, quantiles);
            for (int q = 0; q < levels.length; q++) {
                for (int h = 1; h <= config.horizon(); h++) {
                    int index = q * config.horizon() + h - 1;
                    Gauge.builder("sensorcast.forecast.quantile", quantiles, r -> r.get()[index])
                            .description("Latest forecast quantile (at level) of a watched sensor's value h events ahead")
                            .tags(Tags.of("sensor", sensor, "horizon", Integer.toString(h), "level",
                                    Double.toString(levels[q]))).register(registry);
                }
            }
        }
        this.coverage = new CoverageWindow(config.metrics().window());
        Gauge.builder("sensorcast.interval.coverage", coverage, CoverageWindow::coverage)
                .description("Share of recent scored values inside the 80 % band forecast for them one event earlier"
                        + " (metrics.window values; target 0.8)").register(registry);
    }

    @Override
    public void eventIn() {
        eventsIn.increment();
    }

    @Override
    public void controlIn() {
        controlIn.increment();
    }

    @Override
    public void controlApplied(String sensorId, ControlAction action, boolean known) {
        controlCounter(action, Boolean.toString(known)).increment();
        if (known) {
            cleared(sensorId);
        }
    }

    @Override
    public void evicted(String sensorId) {
        sensorsEvicted.increment();
        cleared(sensorId);
    }

    @Override
    public void evictionSlice(long nanos, int sensors) {
        evictionSlice.record(nanos, TimeUnit.NANOSECONDS);
        evictionSliceSensors.record(sensors);
    }

    private Counter controlCounter(ControlAction action, String known) {
        return Counter.builder("sensorcast.control.actions")
                .description("Control records applied, by action and whether the sensor was known to the instance")
                .tags(Tags.of("action", action.jsonName(), "known", known)).register(registry);
    }

    /** A watched sensor's gauges show no value once it is reset or forgotten, rather than its old one. */
    private void cleared(String sensorId) {
        AtomicReference<double[]> latest = watched.isEmpty() ? null : watchedValues.get(sensorId);
        if (latest != null) {
            double[] none = latest.get().clone();
            Arrays.fill(none, Double.NaN);
            latest.set(none);
            double[] noQuantiles = watchedQuantiles.get(sensorId).get().clone();
            Arrays.fill(noQuantiles, Double.NaN);
            watchedQuantiles.get(sensorId).set(noQuantiles);
        }
    }

    @Override
    public void keysHeld(long delta) {
        keysHeld.addAndGet(delta);
    }

    @Override
    public void rejected(RejectReason reason) {
        deadLetters.get(reason).increment();
    }

    @Override
    public void redeliverySkipped() {
        redeliveriesSkipped.increment();
    }

    @Override
    public void stepped(long nanos, long modelVersion) {
        stepDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void published(SensorEvent event, Forecast forecast) {
        forecastsOut.increment();
        eventLag.record(Math.max(0, System.currentTimeMillis() - event.timestampMs()) / 1000.0);
        AtomicReference<double[]> latest = watched.isEmpty() ? null : watchedValues.get(event.sensorId());
        if (latest != null) {
            double[] values = new double[1 + forecast.horizon()];
            values[0] = event.value(0);
            for (int h = 1; h <= forecast.horizon(); h++) {
                values[h] = forecast.value(h, 0);
            }
            latest.set(values);
            double[] levels = forecast.quantileLevels();
            double[] quantiles = new double[levels.length * forecast.horizon()];
            for (int q = 0; q < levels.length; q++) {
                for (int h = 1; h <= forecast.horizon(); h++) {
                    quantiles[q * forecast.horizon() + h - 1] = forecast.quantile(q, h, 0);
                }
            }
            watchedQuantiles.get(event.sensorId()).set(quantiles);
        }
        AnomalyScore anomaly = forecast.anomaly();
        if (anomaly.scored()) {
            coverage.add(anomaly.actual() >= anomaly.lower() && anomaly.actual() <= anomaly.upper());
            if (anomaly.anomaly()) {
                // Per sensor only for the watched ones: a label per sensor would grow without bound.
                String sensor = watched.contains(event.sensorId()) ? event.sensorId() : OTHER_SENSORS;
                Counter.builder("sensorcast.anomalies").description("Events flagged as anomalies (onsets), by reason"
                                + " (value above or below its forecast) and sensor (metrics.sensors; the rest as other)")
                        .tags(Tags.of("reason", anomaly.reason(), "severity", anomaly.severity(), "sensor", sensor))
                        .register(registry).increment();
            }
        }
    }

    @Override
    public void scored(double error, double naiveError, long modelVersion) {
        ErrorWindow window = windows.get(modelVersion);
        if (window == null) {
            window = windowFor(modelVersion);
        }
        window.add(error, naiveError);
    }

    private synchronized ErrorWindow windowFor(long version) {
        ErrorWindow existing = windows.get(version);
        if (existing != null) {
            return existing;
        }
        ErrorWindow window = new ErrorWindow(config.metrics().window());
        String v = Long.toString(version);
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("sensorcast.forecast.mae", window, ErrorWindow::mae)
                .description("Mean absolute horizon-1 error over the recent window, in sensor standard deviations")
                .tag("model_version", v).register(registry));
        meters.add(Gauge.builder("sensorcast.forecast.nrmse", window, ErrorWindow::nrmse)
                .description("Root mean squared horizon-1 error over the recent window, in sensor standard deviations")
                .tag("model_version", v).register(registry));
        meters.add(Gauge.builder("sensorcast.forecast.skill", window, ErrorWindow::skill)
                .description("1 - MAE / MAE of persistence over the recent window (> 0: better than persistence)")
                .tag("model_version", v).register(registry));
        windows.put(version, window);
        windowMeters.put(version, meters);
        List<Long> versions = new ArrayList<>(windows.keySet());
        versions.sort(null);
        for (int i = 0; i < versions.size() - VERSIONS_KEPT; i++) {
            windows.remove(versions.get(i));
            windowMeters.remove(versions.get(i)).forEach(registry::remove);
        }
        return window;
    }
}
