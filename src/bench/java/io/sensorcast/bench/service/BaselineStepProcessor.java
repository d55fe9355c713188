package io.sensorcast.bench.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.SensorStepper;
import io.sensorcast.forecast.StepResult;
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
 * The serving step without the recurrent network: the forecasting core with its recurrent step switched off
 * does the same state read, Welford update, normalisation, feature encoding, replay-window write and scoring,
 * and forecasts persistence in the same shape, so the only work missing against the real step is the kernel.
 */
final class BaselineStepProcessor implements Processor<String, SensorEvent, String, Forecast> {

    private final PipelineConfig config;
    private final ModelRegistry registry;
    private final TopologyMetrics metrics;
    private SensorStepper stepper;
    private KeyValueStore<String, SensorState> store;
    private ProcessorContext<String, Forecast> context;

    BaselineStepProcessor(PipelineConfig config, ModelRegistry registry, TopologyMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Forecast> context) {
        this.context = context;
        this.store = context.getStateStore(ForecastTopology.STATE_STORE);
        // A state of exactly the serving layout, so reads and writes cost the same bytes.
        this.stepper = new SensorStepper(SensorForecaster.withoutRecurrentStep(config, registry.spec()));
    }

    @Override
    public void process(Record<String, SensorEvent> record) {
        long started = System.nanoTime();
        // The workload is in order per key; a dropped stale event leaves a forecast missing, which the harness detects.
        if (stepper.step(store.get(record.key()), record.value(), registry::current)
                instanceof StepResult.Forecasted stepped) {
            store.put(record.key(), stepped.state());
            stepped.scores().forEach(s -> metrics.scored(s.forecastError(), s.persistenceError(), s.modelVersion()));
            Forecast forecast = stepped.forecast();
            metrics.stepped(System.nanoTime() - started, forecast.modelVersion());
            metrics.published(record.value(), forecast);
            context.forward(record.withValue(forecast));
        }
    }
}
