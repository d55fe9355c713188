package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.SensorStepper;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.forecast.StepResult;
import io.sensorcast.ingest.ControlAction;
import io.sensorcast.ingest.SensorControl;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.ingest.SensorInput;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.state.SensorState;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Owns a task's per-sensor state. For an event: gets the key's state, steps it in the forecasting core, puts it
 * back and forwards the forecast; an event the core refuses as stale is forwarded as a rejection, leaving the
 * state untouched. Under at_least_once a stale event that is one the sensor already accepted (same timestamp and
 * values) is a redelivery after an unclean stop: it is counted and skipped, not dead-lettered. For a control
 * record: resets or forgets the sensor, forwarding nothing. Between records, the idle-sensor sweep forgets the
 * sensors idle for {@code state.idleTtl}.
 */
final class StepNetworkProcessor implements Processor<String, SensorInput, String, StageOutcome<Forecast>> {

    private static final Logger LOG = LoggerFactory.getLogger(StepNetworkProcessor.class);
    /** After the first, one log line per this many skipped redeliveries (a replay can hold thousands). */
    private static final long LOG_EVERY = 1000;

    private final PipelineConfig config;
    private final boolean recogniseRedeliveries;
    private final ModelRegistry registry;
    private final StepListener listener;
    private final TopologyMetrics metrics;
    private ProcessorContext<String, StageOutcome<Forecast>> context;
    private SensorStores stores;
    private SensorForecaster forecaster;
    private SensorStepper stepper;
    private IdleSensorSweep sweep;
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
        this.stores = new SensorStores(context, recogniseRedeliveries, metrics);
        this.forecaster = new SensorForecaster(config, registry.spec(), listener);
        this.stepper = new SensorStepper(forecaster);
        Optional<Duration> ttl = config.state().idleTtlDuration();
        if (ttl.isPresent()) {
            sweep = new IdleSensorSweep(stores, ttl.get(), config.state().evictionBatch(), metrics, listener::forgotten);
            context.schedule(config.state().evictionIntervalDuration(), PunctuationType.WALL_CLOCK_TIME, sweep);
        }
    }

    @Override
    public void close() {
        stores.close();
    }

    @Override
    public void process(Record<String, SensorInput> record) {
        if (record.value() instanceof SensorEvent event) {
            step(record.withValue(event));
        } else {
            apply((SensorControl) record.value(), record);
        }
    }

    private void step(Record<String, SensorEvent> record) {
        long started = System.nanoTime();
        SensorEvent event = record.value();
        Optional<RoutedOrigin.Origin> routed = RoutedOrigin.take(record.headers());
        SensorState previous = stores.state(record.key());
        StepResult result = stepper.step(previous, event, registry::current);
        if (result instanceof StepResult.Stale stale) {
            if (stores.accepted(record.key(), event)) {
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
        stores.put(record.key(), stepped.state(), previous == null);
        // After the state: a redelivery is skipped only if the state already holds it and this store remembers it.
        stores.rememberAccepted(record.key(), event);
        if (sweep != null) {
            sweep.observed(event.timestampMs());
        }
        for (StepResult.Score score : stepped.scores()) {
            metrics.scored(score.forecastError(), score.persistenceError(), score.modelVersion());
        }
        Forecast forecast = stepped.forecast();
        metrics.stepped(System.nanoTime() - started, forecast.modelVersion());
        metrics.published(event, forecast);
        context.forward(record.withValue(new StageOutcome.Passed<>(forecast)));
    }

    /** Resets or forgets the sensor; an unknown sensor is left alone (a repeated command changes nothing). */
    private void apply(SensorControl control, Record<String, SensorInput> record) {
        RoutedOrigin.take(record.headers());
        String sensorId = record.key();
        boolean known;
        if (control.action() == ControlAction.FORGET) {
            known = stores.forget(sensorId);
        } else {
            SensorState state = stores.state(sensorId);
            known = state != null;
            if (known) {
                stores.put(sensorId, forecaster.reset(state), false);
            }
        }
        if (known) {
            // A reset sensor's steps start again from 1: the trainer's sample drops the old ones on that break.
            if (control.action() == ControlAction.FORGET) {
                listener.forgotten(sensorId);
            }
            LOG.info("Control record applied: {} sensor {}", control.action().jsonName(), sensorId);
        } else {
            LOG.info("Control record for a sensor this task does not hold: {} sensor {} (nothing to do)",
                    control.action().jsonName(), sensorId);
        }
        metrics.controlApplied(sensorId, control.action(), known);
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
