package io.sensorcast.bench.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.FeatureEncoder;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.Normalisation;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.state.SensorState;
import io.sensorcast.topology.ForecastTopology;
import io.sensorcast.topology.TopologyMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The serving step without the recurrent network: the same state read, Welford update, normalisation,
 * feature encoding, replay-window write, state write and metrics, and a forecast of the same shape
 * (persistence), so the only work missing against the real step is the recurrent kernel.
 */
final class BaselineStepProcessor implements Processor<String, SensorEvent, String, Forecast> {

    private static final double CADENCE_ALPHA = 0.1;
    private static final double CADENCE_GAP_CAP = 10.0;

    private final PipelineConfig config;
    private final ModelRegistry registry;
    private final TopologyMetrics metrics;
    private final FeatureEncoder encoder;
    private final int channels;
    private final int horizon;
    private final long defaultCadenceMs;
    private final double[] normalised;
    private final double[] effectiveStd;
    private final float[] input;
    private SensorForecaster states;
    private KeyValueStore<String, SensorState> store;
    private ProcessorContext<String, Forecast> context;

    BaselineStepProcessor(PipelineConfig config, ModelRegistry registry, TopologyMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
        this.channels = config.channels().size();
        this.horizon = config.horizon();
        this.encoder = new FeatureEncoder(config.features(), channels);
        this.defaultCadenceMs = Math.round(config.features().defaultCadenceSeconds() * 1000);
        this.normalised = new double[channels];
        this.effectiveStd = new double[channels];
        this.input = new float[encoder.inputSize()];
    }

    @Override
    public void init(ProcessorContext<String, Forecast> context) {
        this.context = context;
        this.store = context.getStateStore(ForecastTopology.STATE_STORE);
        // Only for newState/adopt: a state of exactly the serving layout, so reads and writes cost the same bytes.
        this.states = new SensorForecaster(config, registry.spec(), StepListener.NONE);
    }

    @Override
    public void process(Record<String, SensorEvent> record) {
        long started = System.nanoTime();
        SensorEvent event = record.value();
        SensorState state = states.adopt(store.get(record.key()));
        if (!SensorForecaster.isInOrder(state, event)) {
            // The workload is in order per key; a dropped event leaves a forecast missing, which the harness detects.
            return;
        }
        long version = registry.current().version();
        if (state.hasForecast()) {
            for (int ch = 0; ch < channels; ch++) {
                double scale = Normalisation.effectiveStd(state.std(ch), state.mean[ch]);
                double actual = event.value(ch);
                metrics.scored((actual - state.lastForecast[ch]) / scale, (actual - state.lastValues[ch]) / scale,
                        state.modelVersion);
            }
        }
        long gapMs = state.step == 0 ? -1 : event.timestampMs() - state.lastTimestampMs;
        long n = state.step + 1;
        for (int ch = 0; ch < channels; ch++) {
            double v = event.value(ch);
            Normalisation.update(state, ch, v, n, 0.002);
            effectiveStd[ch] = Normalisation.effectiveStd(state.std(ch), state.mean[ch]);
            normalised[ch] = Normalisation.normalise(v, state.mean[ch], effectiveStd[ch]);
        }
        encoder.encode(normalised, gapMs, state.cadenceMs, event.timestampMs(), input);
        if (gapMs > 0) {
            state.cadenceMs = state.cadenceMs == 0 ? gapMs
                    : (1 - CADENCE_ALPHA) * state.cadenceMs
                      + CADENCE_ALPHA * Math.min(gapMs, CADENCE_GAP_CAP * state.cadenceMs);
        }
        state.step = n;
        state.lastTimestampMs = event.timestampMs();
        state.modelVersion = version;
        state.remember(input);
        double[] values = new double[horizon * channels];
        for (int k = 0; k < horizon; k++) {
            for (int ch = 0; ch < channels; ch++) {
                int i = k * channels + ch;
                values[i] = event.value(ch);
                state.lastForecast[i] = (float) values[i];
            }
        }
        for (int ch = 0; ch < channels; ch++) {
            state.lastValues[ch] = event.value(ch);
        }
        long cadence = state.cadenceMs > 0 ? Math.round(state.cadenceMs) : defaultCadenceMs;
        long[] horizonTs = new long[horizon];
        for (int k = 0; k < horizon; k++) {
            horizonTs[k] = event.timestampMs() + (k + 1) * cadence;
        }
        store.put(record.key(), state);
        Forecast forecast = new Forecast(event.sensorId(), event.timestampMs(), n, version, horizonTs, values);
        metrics.stepped(System.nanoTime() - started, version);
        metrics.published(event, forecast);
        context.forward(record.withValue(forecast));
    }
}
