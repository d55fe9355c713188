package io.sensorcast.testing;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.service.PipelineTopics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the crash tests share: a fresh broker, a child-JVM pipeline written for it, and the seeded workload's
 * producer with its last tenth held back until the test releases it, so every kill lands mid-stream.
 */
public final class CrashScenario implements AutoCloseable {

    /** Events per second the producer offers. */
    private static final double RATE = 120;

    public final SensorWorkload workload = SensorWorkload.generate(120, 25, 41);
    public final PipelineConfig config;
    /** The pipeline file each service JVM is started with. */
    public final Path pipelineFile;
    /** The log every run of the service appends to. */
    public final Path log;
    public final OutputCollector out;
    public final PacedProducer producer;
    private final EmbeddedKafkaBroker broker;

    private CrashScenario(EmbeddedKafkaBroker broker, ChildPipeline pipeline, String moreYaml, String logName) {
        this.broker = broker;
        this.config = pipeline.config();
        this.pipelineFile = pipeline.write(moreYaml);
        this.log = ChildService.freshLog(logName);
        this.out = new OutputCollector(broker.bootstrapServers(), config);
        this.producer = new PacedProducer(broker.bootstrapServers(), config.topics().events(), workload, RATE,
                workload.records().size() * 9 / 10);
    }

    /**
     * Starts the broker and creates the pipeline's topics (4 partitions); nothing is produced until
     * {@code producer.start()}.
     *
     * @param name     the pipeline's name (its application id)
     * @param home     the instance's directory
     * @param kafka    further Kafka properties of the pipeline
     * @param moreYaml appended to the pipeline file (e.g. {@code instanceId: serve-0})
     * @param logName  the child log's name under target/child-logs
     */
    public static CrashScenario start(String name, Path home, Map<String, String> kafka, String moreYaml,
                                      String logName) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        try {
            ChildPipeline pipeline = new ChildPipeline(name, broker.bootstrapServers(), home, kafka);
            PipelineTopics.ensure(pipeline.config(), 4);
            return new CrashScenario(broker, pipeline, moreYaml, logName);
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Starts the service as child JVM {@code name} on this scenario's pipeline file and log, waits until it serves, then
     * starts the producer; the child is closed again if it never becomes ready.
     */
    public ChildService serveThenProduce(String name) throws InterruptedException {
        ChildService service = ChildService.start(name, pipelineFile, log);
        try {
            service.awaitReady(Duration.ofSeconds(120));
        } catch (InterruptedException | RuntimeException | Error e) {
            service.close();
            throw e;
        }
        producer.start();
        return service;
    }

    /** Waits until the producer is done and every valid event's forecast and every bad one's dead letter was read. */
    public void awaitAllOutput() throws InterruptedException {
        producer.awaitDone(Duration.ofSeconds(120));
        out.awaitAtLeast(workload.validCount(), workload.badCount(), Duration.ofSeconds(120), Duration.ofSeconds(2));
    }

    @Override
    public void close() {
        producer.close();
        out.close();
        broker.close();
    }
}
