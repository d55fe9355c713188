package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.Rejection;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Advances the key's network by exactly one step per accepted event and emits its forecast; an event
 * not newer than the key's last one is rejected instead, leaving the state untouched.
 */
final class StepNetworkProcessor implements Processor<String, SensorEvent, String, Outcome<Forecast>> {

    private final PipelineConfig config;
    private final ModelRegistry registry;
    private final StepListener listener;
    private final TopologyMetrics metrics;
    private ProcessorContext<String, Outcome<Forecast>> context;
    private KeyValueStore<String, SensorState> store;
    private SensorForecaster forecaster;

    StepNetworkProcessor(PipelineConfig config, ModelRegistry registry, StepListener listener, TopologyMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Outcome<Forecast>> context) {
        this.context = context;
        this.store = context.getStateStore(ForecastTopology.STATE_STORE);
        this.forecaster = new SensorForecaster(config, registry.spec(), listener);
    }

    @Override
    public void process(Record<String, SensorEvent> record) {
        long started = System.nanoTime();
        SensorEvent event = record.value();
        Optional<String> unkeyedSource = UnkeyedOrigin.take(record.headers());
        SensorState state = forecaster.adopt(store.get(record.key()));
        if (!SensorForecaster.isInOrder(state, event)) {
            Rejection rejection = new Rejection(RejectReason.STALE_TIMESTAMP, "ts "
                    + Instant.ofEpochMilli(event.timestampMs()) + " is not after the sensor's last accepted ts "
                    + Instant.ofEpochMilli(state.lastTimestampMs));
            metrics.rejected(rejection.reason());
            // A keyed event's key equals its sensorId's bytes (the parser checked); an unkeyed one's was null
            // and it was read from the input topic, not from the repartition topic it came through.
            RejectionHeaders.add(record.headers(), rejection, context, unkeyedSource);
            byte[] originalKey = unkeyedSource.isPresent() ? null : record.key().getBytes(StandardCharsets.UTF_8);
            context.forward(record.withValue(new Outcome.Rejected<>(originalKey, event.original(), rejection)));
            return;
        }
        // One read of the registry per event: the whole step uses one consistent weight set.
        ServingModel model = registry.current();
        if (state.hasForecast()) {
            scorePreviousForecast(state, event);
        }
        Forecast forecast = forecaster.advance(state, event, model);
        store.put(record.key(), state);
        metrics.stepped(System.nanoTime() - started, model.version());
        metrics.published(event, forecast);
        context.forward(record.withValue(new Outcome.Passed<>(forecast)));
    }

    /** Scores the key's horizon-1 forecast, and persistence, against the value that has now arrived. */
    private void scorePreviousForecast(SensorState state, SensorEvent event) {
        for (int ch = 0; ch < state.channels(); ch++) {
            // Errors in units of the sensor's own spread, so sensors of any scale aggregate sensibly.
            double scale = io.sensorcast.forecast.Normalisation.effectiveStd(state.std(ch), state.mean[ch]);
            double actual = event.value(ch);
            metrics.scored((actual - state.lastForecast[ch]) / scale, (actual - state.lastValues[ch]) / scale,
                    state.modelVersion);
        }
    }
}
