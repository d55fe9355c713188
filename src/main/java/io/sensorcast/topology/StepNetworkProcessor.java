package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.SensorStepper;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.forecast.StepResult;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.state.SensorState;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Gets the key's state, steps it by the event in the forecasting core, puts it back and forwards the
 * forecast; an event the core refuses as stale is forwarded as a rejection, leaving the state untouched.
 */
final class StepNetworkProcessor implements Processor<String, SensorEvent, String, StageOutcome<Forecast>> {

    private final PipelineConfig config;
    private final ModelRegistry registry;
    private final StepListener listener;
    private final TopologyMetrics metrics;
    private ProcessorContext<String, StageOutcome<Forecast>> context;
    private KeyValueStore<String, SensorState> store;
    private SensorStepper stepper;
    private long keys;

    StepNetworkProcessor(PipelineConfig config, ModelRegistry registry, StepListener listener, TopologyMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, StageOutcome<Forecast>> context) {
        this.context = context;
        this.store = context.getStateStore(ForecastTopology.STATE_STORE);
        this.stepper = new SensorStepper(new SensorForecaster(config, registry.spec(), listener));
        // The sensors this task brings along (restored, or left by an earlier owner): counted once, then per new key.
        try (KeyValueIterator<String, SensorState> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                keys++;
            }
        }
        metrics.keysHeld(keys);
    }

    @Override
    public void close() {
        metrics.keysHeld(-keys);
        keys = 0;
    }

    @Override
    public void process(Record<String, SensorEvent> record) {
        long started = System.nanoTime();
        SensorEvent event = record.value();
        Optional<RoutedOrigin.Origin> routed = RoutedOrigin.take(record.headers());
        SensorState previous = store.get(record.key());
        StepResult result = stepper.step(previous, event, registry::current);
        if (result instanceof StepResult.Stale stale) {
            metrics.rejected(stale.rejection().reason());
            // A keyed event's key equals its sensorId's bytes (the parser checked); a routed one was read from the
            // input topic, not from the repartition topic it came through, and may have had no key.
            RejectionHeaders.add(record.headers(), stale.rejection(), context, routed);
            byte[] originalKey = routed.isPresent() ? routed.get().originalKey(record.key())
                    : record.key().getBytes(StandardCharsets.UTF_8);
            context.forward(record.withValue(new StageOutcome.Rejected<>(originalKey, event.original(),
                    stale.rejection())));
            return;
        }
        StepResult.Forecasted stepped = (StepResult.Forecasted) result;
        store.put(record.key(), stepped.state());
        if (previous == null) {
            keys++;
            metrics.keysHeld(1);
        }
        for (StepResult.Score score : stepped.scores()) {
            metrics.scored(score.forecastError(), score.persistenceError(), score.modelVersion());
        }
        Forecast forecast = stepped.forecast();
        metrics.stepped(System.nanoTime() - started, forecast.modelVersion());
        metrics.published(event, forecast);
        context.forward(record.withValue(new StageOutcome.Passed<>(forecast)));
    }
}
