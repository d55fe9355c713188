package io.sensorcast.service;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.TrainingSettings;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.metrics.MetricsServer;
import io.sensorcast.metrics.ModelMetrics;
import io.sensorcast.metrics.PrometheusRegistries;
import io.sensorcast.metrics.QueryMetrics;
import io.sensorcast.metrics.ServiceMetrics;
import io.sensorcast.metrics.StreamMetrics;
import io.sensorcast.recurrent.StepLoops;
import io.sensorcast.metrics.TrainerMetrics;
import io.sensorcast.model.ModelPublisher;
import io.sensorcast.model.ModelRecord;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ModelTopicException;
import io.sensorcast.model.ModelUpdates;
import io.sensorcast.model.ServingModel;
import io.sensorcast.query.AdvertisedServer;
import io.sensorcast.query.PeerClient;
import io.sensorcast.query.SensorQueryHandler;
import io.sensorcast.query.SensorView;
import io.sensorcast.query.StreamsStoreAccess;
import io.sensorcast.topology.ForecastService;
import io.sensorcast.topology.TopicLayout;
import io.sensorcast.training.OnlineTrainer;
import io.sensorcast.training.SampleBuffer;
import io.sensorcast.training.TrainerLoop;
import io.sensorcast.training.TrainingPacer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Assembles everything one service process runs for its role: the starting model and its registry, the
 * model topic follower, the stream (serving, or the trainer's feed), the online trainer and the metrics
 * endpoint; starts them in order and closes them in reverse. The commands, the tests and the benchmarks all
 * run the service through this class, so what they exercise is what ships.
 */
public final class ServiceRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);
    private static final Duration MODEL_TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private final PipelineConfig config;
    private final Role role;
    private final PrometheusMeterRegistry meters;
    private final ModelRegistry registry;
    private final ModelUpdates modelUpdates;
    private final ForecastService stream;
    private final SampleBuffer samples;
    private final OnlineTrainer trainer;
    private final StreamMetrics streamMetrics;
    private final TopicLayout layout;
    private final AtomicLong trainingRounds = new AtomicLong();
    private final MetricsServer metricsServer;
    private final SensorQueryHandler queries;
    private volatile int eventPartitions;
    private ModelPublisher publisher;
    private TrainerLoop trainerLoop;

    /** The shipped service for {@code role}. */
    public ServiceRuntime(PipelineConfig config, Role role) {
        this(config, role, ServingTopology.FORECAST);
    }

    /** As the shipped service, but a serving role runs {@code servingTopology} (the benchmarks' baseline). */
    public ServiceRuntime(PipelineConfig config, Role role, ServingTopology servingTopology) {
        this.config = config;
        this.role = role;
        this.meters = PrometheusRegistries.create();
        // Bound first: the query API's advertised address (application.server) needs the port before the stream exists.
        this.metricsServer = listen(config, meters, this::ready);
        try {
            // Models refused on the way to the starting one are counted once the meters exist.
            List<String> refusedAtStart = new ArrayList<>();
            ServingModel initial = ModelSources.initialServing(config, newestOnModelTopic(config), refusedAtStart::add);
            this.registry = new ModelRegistry(ModelShapes.specOf(config), initial);
            ModelMetrics modelMetrics = new ModelMetrics(meters, registry);
            refusedAtStart.forEach(reason -> modelMetrics.refused(ModelMetrics.reasonCode(reason)));
            this.modelUpdates = new ModelUpdates(config, registry);
            modelUpdates.onRefused(reason -> modelMetrics.refused(ModelMetrics.reasonCode(reason)));

            boolean training = role.trains() && config.training().enabled();
            TrainingSettings t = config.training();
            this.samples = training ? SampleBuffer.of(t) : null;
            this.trainer = training ? new OnlineTrainer(config, samples, registry::current, Clock.systemUTC(),
                    pacer(config, role)) : null;
            StepListener feed = training ? samples.listener() : StepListener.NONE;
            this.layout = TopicLayout.unknown(config);
            if (role.serves()) {
                String advertised = AdvertisedServer.of(config, System.getenv(), metricsServer.port());
                this.stream = ForecastService.serving(config.withKafka(Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG,
                        advertised)), servingTopology.build(config, registry, () -> feed, new ServiceMetrics(meters, config),
                        layout));
                this.queries = new SensorQueryHandler(new StreamsStoreAccess(stream.streams(), advertised,
                        config.topics().events(), () -> eventPartitions), new PeerClient(Duration.ofMillis(config.queries().timeoutMs())),
                        new SensorView(config), config.queries(), config.limits().maxSensorIdLength(), new QueryMetrics(meters));
                metricsServer.route(SensorQueryHandler.PATH, queries);
            } else {
                this.stream = ForecastService.trainingFeed(config, registry, () -> feed, layout);
                this.queries = null;
            }
            this.streamMetrics = new StreamMetrics(meters, stream.streams(), stream.failures());
        } catch (RuntimeException e) {
            metricsServer.close();
            throw e;
        }
    }

    private static MetricsServer listen(PipelineConfig config, PrometheusMeterRegistry meters, BooleanSupplier ready) {
        try {
            return new MetricsServer(config.metrics().host(), config.metrics().port(), meters, ready);
        } catch (IOException e) {
            throw new ConfigException("metrics.port: cannot listen on " + config.metrics().host() + ":"
                    + config.metrics().port() + " (" + e.getMessage() + "); is another process using it?");
        }
    }

    /**
     * Checks the topics (creating missing ones with {@code createPartitions} partitions when that is above 0),
     * starts everything and waits until the stream is RUNNING.
     */
    public void start(int createPartitions, Duration timeout) throws InterruptedException {
        PipelineTopics.Layout found = PipelineTopics.ensure(config, createPartitions);
        layout.learned(found.eventPartitions(), found.deadLetterMaxMessageBytes());
        eventPartitions = found.eventPartitions();
        stream.start();
        modelUpdates.start();
        if (trainer != null) {
            publisher = new ModelPublisher(config);
            TrainerMetrics trainerMetrics = new TrainerMetrics(meters);
            trainerLoop = new TrainerLoop(trainer, publisher::publish, round -> {
                trainerMetrics.round(round);
                trainingRounds.incrementAndGet();
            }, Duration.ofMillis(200)).start();
        }
        if (!stream.awaitRunning(timeout)) {
            throw new IllegalStateException("Kafka Streams did not reach RUNNING within " + timeout.toSeconds()
                    + " s (state " + stream.streams().state() + ")");
        }
        LOG.info("Running pipeline '{}' as role {} with model v{}; metrics on port {}; step kernel on {} loops",
                config.name(), role.name().toLowerCase(Locale.ROOT), registry.current().version(), metricsServer.port(),
                StepLoops.preferred().name());
    }

    /** Ready to serve: Kafka Streams RUNNING, a model loaded, and the stream not failing over and over. */
    private boolean ready() {
        // Asked by the health endpoint, which listens before the stream exists.
        return stream != null && stream.streams().state() == KafkaStreams.State.RUNNING && registry.current() != null
                && !stream.failures().stalled();
    }

    /** Paced only where it shares the process with serving: a train-only process has its cores to itself. */
    public static TrainingPacer pacer(PipelineConfig config, Role role) {
        return role.serves() ? new TrainingPacer(config.training().cpuShare()) : TrainingPacer.UNPACED;
    }

    /** The bound metrics port (tests use port 0). */
    public int metricsPort() {
        return metricsServer.port();
    }

    public PipelineConfig config() {
        return config;
    }

    public Role role() {
        return role;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The Kafka Streams instance (serving, or the trainer's feed). */
    public KafkaStreams streams() {
        return stream.streams();
    }

    /** Model records applied from the model topic so far. */
    public long modelsApplied() {
        return modelUpdates.appliedCount();
    }

    /** Training rounds finished so far (0 where this process does not train). */
    public long trainingRounds() {
        return trainingRounds.get();
    }

    /** Steps the sample buffer dropped because the trainer fell behind (0 where this process does not train). */
    public long samplesDropped() {
        return samples == null ? 0 : samples.droppedCount();
    }

    /** The online trainer, where this process trains. */
    public Optional<OnlineTrainer> trainer() {
        return Optional.ofNullable(trainer);
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
        stream.close();
        streamMetrics.close();
        if (queries != null) {
            queries.close();
        }
        metricsServer.close();
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
