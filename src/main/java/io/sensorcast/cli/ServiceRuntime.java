package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ServingModel;
import io.sensorcast.topology.ForecastService;
import io.sensorcast.topology.TopologyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Assembles everything one service process runs: the starting model, the registry and the stream. */
final class ServiceRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

    final PipelineConfig config;
    final ModelRegistry registry;
    final ForecastService service;

    ServiceRuntime(PipelineConfig config) {
        this.config = config;
        ServingModel initial = ModelSources.toServing(ModelSources.initial(config));
        this.registry = new ModelRegistry(ModelShapes.specOf(config), initial);
        this.service = new ForecastService(config, registry, () -> StepListener.NONE, TopologyMetrics.NONE);
    }

    /** Starts the stream and waits until it is RUNNING. */
    void start(int createPartitions, Duration timeout) throws InterruptedException {
        service.start(createPartitions);
        if (!service.awaitRunning(timeout)) {
            throw new IllegalStateException("Kafka Streams did not reach RUNNING within " + timeout.toSeconds()
                    + " s (state " + service.streams().state() + ")");
        }
        LOG.info("Serving pipeline '{}' with model v{}: {} -> {}", config.name(), registry.current().version(),
                config.topics().events(), config.topics().forecasts());
    }

    @Override
    public void close() {
        service.close();
    }
}
