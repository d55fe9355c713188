package io.sensorcast.bench.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.service.PipelineTopics;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drains a preloaded events topic with one variant under a fresh application id, state directory and
 * output topics: the clock runs from the stream reaching RUNNING (consumption starts) until the group's
 * committed input offsets cover every event (under exactly_once_v2 the forecasts commit in the same
 * transaction). A read_committed count of the forecasts afterwards must equal the event count. The CPU time of
 * this JVM and of the broker's (when it has its own) is read once the stream runs and again once it has drained.
 */
final class DrainRun {

    private static final Duration POLL = Duration.ofMillis(50);

    private final BenchKafka kafka;
    private final String eventsTopic;
    private final int partitions;
    private final Map<String, String> kafkaOverrides;
    private final String trainingYaml;
    private final CpuMeter cpu;

    /**
     * @param kafkaOverrides Kafka Streams properties over the service's defaults (e.g. the processing guarantee)
     * @param trainingYaml   the pipeline's {@code training:} section for {@link Variant#TRAINING}
     */
    DrainRun(BenchKafka kafka, String eventsTopic, int partitions, Map<String, String> kafkaOverrides,
             String trainingYaml) {
        this(kafka, eventsTopic, partitions, kafkaOverrides, trainingYaml, new CpuMeter(Optional.empty()));
    }

    /** As above, with the CPU meter of the harness's broker (its own process when it runs in a child JVM). */
    DrainRun(BenchKafka kafka, String eventsTopic, int partitions, Map<String, String> kafkaOverrides,
             String trainingYaml, CpuMeter cpu) {
        this.cpu = cpu;
        this.kafka = kafka;
        this.eventsTopic = eventsTopic;
        this.partitions = partitions;
        this.kafkaOverrides = kafkaOverrides;
        this.trainingYaml = trainingYaml;
    }

    /** Something run against the service for as long as it drains: started with its metrics port, closed after. */
    interface DuringDrain {
        AutoCloseable start(int metricsPort);
    }

    DrainResult run(Variant variant, Workload workload, int repetition, Duration timeout) throws Exception {
        return run(variant, StateCache.OFF, workload, repetition, timeout);
    }

    DrainResult run(Variant variant, StateCache cache, Workload workload, int repetition, Duration timeout)
            throws Exception {
        return run(variant, cache, workload, repetition, timeout, port -> () -> { });
    }

    // The query load runs for exactly the try block's lifetime; its resource is never read inside it.
    @SuppressWarnings("try")
    DrainResult run(Variant variant, StateCache cache, Workload workload, int repetition, Duration timeout,
                    DuringDrain during) throws Exception {
        String app = "bench-" + variant.label() + "-" + cache.label() + "-" + workload.keys() + "-" + repetition;
        Path stateDir = Files.createTempDirectory("sensorcast-bench-state-");
        Path modelDir = Files.createTempDirectory("sensorcast-bench-models-");
        PipelineConfig config = config(variant, cache, app, stateDir, modelDir);
        PipelineTopics.ensure(config, partitions);
        try {
            double seconds;
            int rounds;
            long applied;
            long dropped;
            long changelog;
            CpuMeter.Use used;
            try (ServiceUnderTest service = new ServiceUnderTest(variant, config)) {
                service.start(Duration.ofMinutes(2));
                CpuMeter.Reading before = cpu.read();
                long deadline = System.nanoTime() + timeout.toNanos();
                try (AutoCloseable load = during.start(service.metricsPort())) {
                    while (kafka.committed(app, eventsTopic) < workload.events()) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException(app + " did not drain " + workload.events() + " events in "
                                    + timeout.toSeconds() + " s; committed " + kafka.committed(app, eventsTopic));
                        }
                        Thread.sleep(POLL.toMillis());
                    }
                    used = CpuMeter.Use.between(before, cpu.read());
                    seconds = (System.nanoTime() - service.runningAtNanos()) / 1e9;
                }
                rounds = service.trainerRounds();
                applied = service.modelsApplied();
                dropped = service.samplesDropped();
                changelog = service.stateChangelogRecords();
            }
            long forecasts = kafka.countCommitted(config.topics().forecasts());
            if (forecasts != workload.events()) {
                throw new IllegalStateException(app + ": " + forecasts + " forecasts for " + workload.events() + " events");
            }
            return new DrainResult(variant, cache, workload.keys(), workload.events(), repetition, seconds, forecasts,
                    rounds, applied, dropped, changelog, used);
        } finally {
            kafka.deleteTopics(Set.of(config.topics().forecasts(), config.topics().deadLetter(),
                    config.topics().models()), app + "-");
            deleteRecursively(stateDir);
            deleteRecursively(modelDir);
        }
    }

    private PipelineConfig config(Variant variant, StateCache cache, String app, Path stateDir, Path modelDir) {
        String yaml = "name: " + app + "\n"
                + "topics: {events: " + eventsTopic + ", forecasts: " + app + "-out, deadLetter: " + app + "-dlq, models: "
                + app + "-models, control: " + eventsTopic + "-control}\n"
                + "model: {directory: '" + modelDir + "'}\n"
                + switch (variant) {
                    case TRAINING -> trainingYaml;
                    case TRAINING_UNPACED -> trainingYaml.replace("}", ", cpuShare: 1}");
                    default -> "training: {enabled: false}\n";
                };
        Map<String, String> kafkaProps = new LinkedHashMap<>();
        kafkaProps.put("bootstrap.servers", kafka.bootstrapServers());
        kafkaProps.put("state.dir", stateDir.toString());
        kafkaProps.putAll(kafkaOverrides);
        kafkaProps.putAll(cache.kafka());
        return PipelineConfigLoader.parse(yaml).withKafka(kafkaProps);
    }

    /** Deletes a run's directory tree (Kafka's own recursive delete; a missing directory is fine). */
    static void deleteRecursively(Path root) {
        try {
            Utils.delete(root.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
