package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.SensorStepper;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.forecast.StepResult;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.state.SensorState;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Gets the key's state, steps it by the event in the forecasting core, puts it back and forwards the
 * forecast; an event the core refuses as stale is forwarded as a rejection, leaving the state untouched.
 * Under at_least_once a stale event that is one the sensor already accepted (same timestamp and values) is a
 * redelivery after an unclean stop: it is counted and skipped, not dead-lettered.
 */
final class StepNetworkProcessor implements Processor<String, SensorEvent, String, StageOutcome<Forecast>> {

    private static final Logger LOG = LoggerFactory.getLogger(StepNetworkProcessor.class);
    /** After the first, one log line per this many skipped redeliveries (a replay can hold thousands). */
    private static final long LOG_EVERY = 1000;

    private final PipelineConfig config;
    private final boolean recogniseRedeliveries;
    private final ModelRegistry registry;
    private final StepListener listener;
    private final TopologyMetrics metrics;
    private ProcessorContext<String, StageOutcome<Forecast>> context;
    private KeyValueStore<String, SensorState> store;
    private KeyValueStore<String, AcceptedEvents> accepted;
    private SensorStepper stepper;
    private long keys;
    private long redeliveriesSkipped;

    /** @param recogniseRedeliveries keep each sensor's recent accepted events (at_least_once) to skip redeliveries */
    StepNetworkProcessor(PipelineConfig config, ModelRegistry registry, StepListener listener, TopologyMetrics metrics,
                         boolean recogniseRedeliveries) {
        this.config = config;
        this.recogniseRedeliveries = recogniseRedeliveries;
        this.registry = registry;
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, StageOutcome<Forecast>> context) {
        this.context = context;
        this.store = context.getStateStore(ForecastTopology.STATE_STORE);
        this.accepted = recogniseRedeliveries ? context.getStateStore(ForecastTopology.ACCEPTED_EVENTS_STORE) : null;
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
            if (isRedelivery(record.key(), event)) {
                skipRedelivery(event);
                return;
            }
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
        // After the state: a redelivery is skipped only if the state already holds it and this store remembers it.
        if (accepted != null) {
            AcceptedEvents recent = accepted.get(record.key());
            recent = recent == null ? new AcceptedEvents() : recent;
            recent.add(event.timestampMs(), event.values());
            accepted.put(record.key(), recent);
        }
        for (StepResult.Score score : stepped.scores()) {
            metrics.scored(score.forecastError(), score.persistenceError(), score.modelVersion());
        }
        Forecast forecast = stepped.forecast();
        metrics.stepped(System.nanoTime() - started, forecast.modelVersion());
        metrics.published(event, forecast);
        context.forward(record.withValue(new StageOutcome.Passed<>(forecast)));
    }

    private boolean isRedelivery(String key, SensorEvent event) {
        if (accepted == null) {
            return false;
        }
        AcceptedEvents recent = accepted.get(key);
        return recent != null && recent.contains(event.timestampMs(), event.values());
    }

    private void skipRedelivery(SensorEvent event) {
        metrics.redeliverySkipped();
        if (redeliveriesSkipped++ % LOG_EVERY == 0) {
            LOG.info("Skipped a redelivered event the sensor already accepted (at_least_once replay after an unclean"
                    + " stop): sensor {} ts {}; {} skipped by this task so far", event.sensorId(),
                    Instant.ofEpochMilli(event.timestampMs()), redeliveriesSkipped);
        }
    }
}
