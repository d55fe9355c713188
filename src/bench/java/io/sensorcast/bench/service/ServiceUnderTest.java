package io.sensorcast.bench.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.TrainingSettings;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.metrics.PrometheusRegistries;
import io.sensorcast.metrics.ServiceMetrics;
import io.sensorcast.model.ModelPublisher;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ModelUpdates;
import io.sensorcast.topology.ForecastService;
import io.sensorcast.topology.StreamsSettings;
import io.sensorcast.training.OnlineTrainer;
import io.sensorcast.training.TrainingPacer;
import io.sensorcast.training.SampleBuffer;
import io.sensorcast.training.TrainerLoop;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One variant of the service, assembled from the same parts as {@code ServiceRuntime} (bootstrap model,
 * registry, Micrometer service metrics; for {@link Variant#TRAINING} also the sample buffer, online trainer,
 * trainer loop, model publisher and model-topic follower), minus the HTTP metrics endpoint.
 */
final class ServiceUnderTest implements AutoCloseable {

    private final KafkaStreams streams;
    private final ForecastService service;
    private final ModelUpdates modelUpdates;
    private final ModelPublisher publisher;
    private final TrainerLoop trainerLoop;
    private final SampleBuffer samples;
    private final AtomicInteger rounds = new AtomicInteger();
    private volatile long runningAtNanos;

    ServiceUnderTest(Variant variant, PipelineConfig config) {
        PrometheusMeterRegistry meters = PrometheusRegistries.create();
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config),
                ModelSources.initialServing(config, Optional.empty()));
        ServiceMetrics metrics = new ServiceMetrics(meters, config);
        boolean training = variant == Variant.TRAINING || variant == Variant.TRAINING_UNPACED;
        TrainingSettings t = config.training();
        samples = training ? new SampleBuffer(t.maxKeys(), t.stepsPerKey(), t.intakeCapacity(), t.seed()) : null;
        StepListener feed = training ? samples.listener() : StepListener.NONE;
        if (variant == Variant.BASELINE) {
            service = null;
            streams = new KafkaStreams(BaselineTopology.build(config, registry, metrics), StreamsSettings.of(config));
        } else {
            service = new ForecastService(config, registry, () -> feed, metrics);
            streams = service.streams();
        }
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && runningAtNanos == 0) {
                runningAtNanos = System.nanoTime();
            }
        });
        modelUpdates = new ModelUpdates(config, registry);
        if (training) {
            publisher = new ModelPublisher(config);
            OnlineTrainer trainer = new OnlineTrainer(config, samples, registry::current, Clock.systemUTC(),
                    new TrainingPacer(config.training().cpuShare()));
            trainerLoop = new TrainerLoop(trainer, publisher::publish, round -> rounds.incrementAndGet(),
                    Duration.ofMillis(200));
        } else {
            publisher = null;
            trainerLoop = null;
        }
    }

    /** Starts the stream (and the model follower and trainer) and waits until it is RUNNING. */
    void start(Duration timeout) throws InterruptedException {
        streams.start();
        modelUpdates.start();
        if (trainerLoop != null) {
            trainerLoop.start();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (runningAtNanos == 0) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("stream not RUNNING after " + timeout.toSeconds() + " s: "
                        + streams.state());
            }
            Thread.sleep(10);
        }
    }

    /** {@link System#nanoTime()} when the stream first reached RUNNING: consumption starts then. */
    long runningAtNanos() {
        return runningAtNanos;
    }

    KafkaStreams streams() {
        return streams;
    }

    /** Training rounds run so far (0 without training). */
    int trainerRounds() {
        return rounds.get();
    }

    /** Model records applied from the model topic so far. */
    long modelsApplied() {
        return modelUpdates.appliedCount();
    }

    /** Steps the sample buffer had to drop because the trainer fell behind (0 without training). */
    long samplesDropped() {
        return samples == null ? 0 : samples.droppedCount();
    }

    @Override
    public void close() {
        if (trainerLoop != null) {
            trainerLoop.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        modelUpdates.close();
        if (service != null) {
            service.close();
        } else {
            streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }
}
