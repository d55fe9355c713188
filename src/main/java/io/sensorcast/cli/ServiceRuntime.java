package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.model.ModelRecord;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ModelTopicException;
import io.sensorcast.model.ModelUpdates;
import io.sensorcast.model.ServingModel;
import io.sensorcast.topology.ForecastService;
import io.sensorcast.topology.TopologyMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/** Assembles everything one service process runs: the starting model, the registry and the stream. */
final class ServiceRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);
    private static final Duration MODEL_TOPIC_TIMEOUT = Duration.ofSeconds(30);

    final PipelineConfig config;
    final ModelRegistry registry;
    final ForecastService service;
    final ModelUpdates modelUpdates;

    ServiceRuntime(PipelineConfig config) {
        this.config = config;
        ServingModel initial = ModelSources.initialServing(config, newestOnModelTopic(config));
        this.registry = new ModelRegistry(ModelShapes.specOf(config), initial);
        this.modelUpdates = new ModelUpdates(config, registry);
        this.service = new ForecastService(config, registry, () -> StepListener.NONE, TopologyMetrics.NONE);
    }

    /** Starts the stream and waits until it is RUNNING. */
    void start(int createPartitions, Duration timeout) throws InterruptedException {
        service.start(createPartitions);
        modelUpdates.start();
        if (!service.awaitRunning(timeout)) {
            throw new IllegalStateException("Kafka Streams did not reach RUNNING within " + timeout.toSeconds()
                    + " s (state " + service.streams().state() + ")");
        }
        LOG.info("Serving pipeline '{}' with model v{}: {} -> {}", config.name(), registry.current().version(),
                config.topics().events(), config.topics().forecasts());
    }

    @Override
    public void close() {
        modelUpdates.close();
        service.close();
    }

    private static Optional<ModelRecord> newestOnModelTopic(PipelineConfig config) {
        try {
            return ModelUpdates.latest(config, MODEL_TOPIC_TIMEOUT);
        } catch (ModelTopicException e) {
            // Not fatal here: once the topic is readable, the model updates swap its newest model in anyway.
            LOG.warn("{}; choosing the starting model without the topic", e.getMessage());
            return Optional.empty();
        }
    }
}
