package io.sensorcast.forecast;

import io.sensorcast.anomaly.AnomalyLikelihood;
import io.sensorcast.anomaly.AnomalyScore;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.LaplaceHead;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.NetworkWeights;
import io.sensorcast.recurrent.RecurrentKernel;
import io.sensorcast.state.SensorState;

/**
 * Advances one sensor by one event and forecasts its next K values: the per-event core shared by the
 * stream processor and the replay command, with no Kafka in it.
 *
 * <p>Not thread-safe: it owns the kernel's scratch buffers. Each stream task creates its own.
 */
public final class SensorForecaster {

    /** Weight of a new gap in the cadence average; gaps beyond 10 cadences count as 10. */
    private static final double CADENCE_ALPHA = 0.1;
    private static final double CADENCE_GAP_CAP = 10.0;

    private final PipelineConfig config;
    private final NetworkSpec spec;
    private final FeatureEncoder encoder;
    private final SeasonalContext seasonal;
    private final ChangeCalibration calibration;
    private final ForecastIntervals intervals;
    private final AnomalyLikelihood anomalies;
    private final double[] quantileLevels;
    private final double normalisationAlpha;
    private final RecurrentKernel kernel;
    private final StepListener listener;
    /** False only for the benchmarks' baseline: everything but the recurrent kernel, forecasting persistence. */
    private final boolean recurrent;
    private final int channels;
    private final int horizon;
    /** Horizon times channels: the forecast values, and the head's width without a distribution head. */
    private final int forecastSize;
    /** True when the head also outputs a Laplace scale per forecast value, after the locations. */
    private final boolean distributionHead;
    private final long defaultCadenceMs;
    // Scratch, reused every event: the hot path allocates only the published Forecast.
    private final double[] raw;
    private final double[] changes;
    private final double[] scales;
    private final double[] normalised;
    private final double[] clipped;
    private final double[] effectiveStd;
    private final double[] meanSnapshot;
    private final float[] input;
    private final float[] replayInput;
    private final float[] output;

    public SensorForecaster(PipelineConfig config, NetworkSpec spec, StepListener listener) {
        this(config, spec, listener, true);
    }

    /**
     * A forecaster that does all per-event work except the recurrent step: its network output stays zero, so
     * it forecasts persistence. The benchmarks measure the kernel's share of the service against it.
     */
    public static SensorForecaster withoutRecurrentStep(PipelineConfig config, NetworkSpec spec) {
        return new SensorForecaster(config, spec, StepListener.NONE, false);
    }

    private SensorForecaster(PipelineConfig config, NetworkSpec spec, StepListener listener, boolean recurrent) {
        this.recurrent = recurrent;
        this.config = config;
        this.spec = spec;
        this.channels = config.channels().size();
        this.horizon = config.horizon();
        this.encoder = new FeatureEncoder(config.features(), channels);
        this.seasonal = new SeasonalContext(config.features().seasonDurations(), config.features().seasonalSmoothing());
        this.normalisationAlpha = config.features().normalisationWeight();
        this.calibration = new ChangeCalibration(config.model().calibrationWindow());
        this.intervals = new ForecastIntervals(config.forecast());
        this.anomalies = new AnomalyLikelihood(config.anomaly());
        this.quantileLevels = config.forecast().levels();
        if (config.inputSize() != spec.inputSize() || ModelShapes.headWidth(config) != spec.outputSize()) {
            throw new IllegalArgumentException("network " + spec + " does not fit the pipeline (input "
                    + config.inputSize() + ", head " + ModelShapes.headWidth(config) + ")");
        }
        this.forecastSize = config.outputSize();
        this.distributionHead = ModelShapes.hasDistributionHead(spec, forecastSize);
        this.kernel = new RecurrentKernel(spec);
        this.listener = listener;
        this.defaultCadenceMs = Math.round(config.features().defaultCadenceSeconds() * 1000);
        this.raw = new double[channels];
        this.changes = new double[forecastSize];
        this.scales = new double[forecastSize];
        this.normalised = new double[channels];
        this.clipped = new double[channels];
        this.effectiveStd = new double[channels];
        this.meanSnapshot = new double[channels];
        this.input = new float[spec.inputSize()];
        this.replayInput = new float[spec.inputSize()];
        this.output = new float[spec.outputSize()];
    }

    /** A state for a key never seen before. */
    public SensorState newState() {
        return new SensorState(channels, spec.hiddenSizes(), spec.cell().hasCellState(), forecastSize,
                spec.inputSize(), config.model().replayWindow(), seasonal.buckets());
    }

    /**
     * The stored state if it fits the current pipeline and network, else a fresh one; a state kept with another
     * replay window has its ring resized rather than being dropped.
     */
    public SensorState adopt(SensorState stored) {
        if (stored == null || !stored.fits(channels, spec.hiddenSizes(), spec.cell().hasCellState(),
                forecastSize, spec.inputSize(), seasonal.buckets())) {
            return newState();
        }
        stored.resizeReplay(config.model().replayWindow());
        return stored;
    }

    /**
     * The state of a sensor learnt afresh (a control record's reset): recurrent state, statistics, profiles,
     * cadence, calibration, intervals, anomaly memory and replay window as for a new sensor, but the time of its
     * last accepted event kept, so events from before the reset stay stale and its idle time runs on.
     */
    public SensorState reset(SensorState stored) {
        SensorState fresh = newState();
        fresh.lastTimestampMs = stored.lastTimestampMs;
        return fresh;
    }

    /**
     * True when {@code event} may advance {@code state}: its time must be after the last accepted one (a new
     * state's is Long.MIN_VALUE; a reset state keeps its sensor's).
     */
    public static boolean isInOrder(SensorState state, SensorEvent event) {
        return event.timestampMs() > state.lastTimestampMs;
    }

    /**
     * Advances {@code state} by {@code event} under {@code model} and returns the forecast.
     * The caller has checked {@link #isInOrder}.
     */
    public Forecast advance(SensorState state, SensorEvent event, ServingModel model) {
        NetworkWeights weights = model.weights();
        if (recurrent && state.step > 0 && state.modelVersion != model.version()) {
            rebuildUnder(weights, state);
        }
        long gapMs = state.step == 0 ? -1 : event.timestampMs() - state.lastTimestampMs;

        // Statistics first, so the first event normalises to 0 rather than to nothing.
        long n = state.step + 1;
        for (int ch = 0; ch < channels; ch++) {
            raw[ch] = event.value(ch);
        }
        calibration.observe(state, n, raw);
        intervals.observe(state, n, raw);
        // Scored against the horizon-1 distribution step n - 1 published, before this step overwrites its ring.
        AnomalyScore anomaly = anomalies.score(state, n, raw);
        for (int ch = 0; ch < channels; ch++) {
            double v = raw[ch];
            clipped[ch] = Normalisation.update(state, ch, v, n, normalisationAlpha);
            effectiveStd[ch] = Normalisation.effectiveStd(state.std(ch), state.mean[ch]);
            meanSnapshot[ch] = state.mean[ch];
            normalised[ch] = Normalisation.normalise(v, state.mean[ch], effectiveStd[ch]);
        }
        double cadenceMs = state.cadenceMs;
        if (gapMs > 0) {
            cadenceMs = cadenceMs == 0 ? gapMs
                    : (1 - CADENCE_ALPHA) * cadenceMs + CADENCE_ALPHA * Math.min(gapMs, CADENCE_GAP_CAP * cadenceMs);
        }
        long cadence = cadenceMs > 0 ? Math.round(cadenceMs) : defaultCadenceMs;
        encoder.encode(normalised, gapMs, state.cadenceMs, event.timestampMs(), input);
        // The seasonal context is read before this event joins the profile: it only ever holds earlier cycles.
        seasonal.encode(state, event.timestampMs(), cadence, horizon, raw, effectiveStd, input,
                encoder.inputSize());
        seasonal.update(state, event.timestampMs(), clipped);

        if (recurrent) {
            kernel.step(weights, state.h, state.c, input);
            kernel.predict(weights, state.h, output);
        }

        state.cadenceMs = cadenceMs;
        state.step = n;
        state.lastTimestampMs = event.timestampMs();
        state.modelVersion = model.version();
        state.remember(input);

        double[] values = new double[horizon * channels];
        double[] quantiles = new double[quantileLevels.length * values.length];
        for (int k = 0; k < horizon; k++) {
            for (int ch = 0; ch < channels; ch++) {
                int i = k * channels + ch;
                // The network forecasts the change from the current value in units of the sensor's standard
                // deviation: with a zero output the forecast is persistence, which the network then only has to
                // improve on. Anchored on the raw value, not the clipped input, so a level far from the
                // statistics (a shift they have not caught up with) is still forecast from where it is.
                // The sensor serves the share of that change its recent outcomes bore out.
                changes[i] = output[i] * effectiveStd[ch];
                double v = raw[ch] + calibration.share(state, n, k + 1, ch) * changes[i];
                // Finite weights and clipped inputs give finite outputs; should that ever fail, publish
                // persistence rather than a NaN a consumer would choke on.
                values[i] = Double.isFinite(v) ? v : raw[ch];
                state.lastForecast[i] = (float) values[i];
                // With a distribution head the network says how unsure it is of this very forecast (in the
                // sensor's standard deviations, like the change); the coverage factor keeps its 80 % band at 80 %.
                scales[i] = distributionHead && recurrent
                        ? intervals.scaled(state, i, LaplaceHead.scale(output[forecastSize + i]) * effectiveStd[ch])
                        : intervals.scale(state, i, k + 1, effectiveStd[ch]);
                intervals.quantiles(values[i], scales[i], quantiles, values.length, i);
            }
        }
        calibration.remember(state, n, changes, raw);
        intervals.remember(state, n, values, scales);
        for (int ch = 0; ch < channels; ch++) {
            state.lastValues[ch] = raw[ch];
        }
        long[] horizonTs = new long[horizon];
        for (int k = 0; k < horizon; k++) {
            // A sensor near the end of year 9999 (the parser's limit) would otherwise be forecast into
            // five-digit years, which RFC 3339 cannot write: its horizon saturates at the last instant.
            horizonTs[k] = Math.min(event.timestampMs() + (k + 1) * cadence, EventParser.MAX_TIMESTAMP_MS);
        }
        listener.onStep(event.sensorId(), n, event.timestampMs(), input, event.values(), meanSnapshot, effectiveStd);
        return new Forecast(event.sensorId(), event.timestampMs(), n, model.version(), horizonTs, values,
                quantileLevels, quantiles, anomaly);
    }

    /**
     * The key's recurrent state was computed under other weights: recompute it from zero over the
     * remembered inputs under the new ones, so its next forecast is what the new model would have said.
     */
    private void rebuildUnder(NetworkWeights weights, SensorState state) {
        state.resetRecurrentState();
        for (int i = 0; i < state.replayCount; i++) {
            state.remembered(i, replayInput);
            kernel.step(weights, state.h, state.c, replayInput);
        }
    }
}
