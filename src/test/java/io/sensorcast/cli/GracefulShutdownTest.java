package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.ChildPipeline;
import io.sensorcast.testing.ChildService;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.OutputCollector;
import io.sensorcast.testing.PacedProducer;
import io.sensorcast.testing.SensorWorkload;
import io.sensorcast.testing.UninterruptedRun;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM while input arrives: the service finishes what it took, commits it, and exits 0 in time. */
@IntegrationTest
class GracefulShutdownTest {

    /**
     * The documented bound from SIGTERM to exit: Kafka Streams' close waits at most 30 s for in-flight work,
     * plus a little for the JVM; a healthy service on an idle broker exits in a few seconds.
     */
    static final Duration EXIT_BOUND = Duration.ofSeconds(35);

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain();

    @TempDir
    Path dir;

    @Test
    void failedStartExitsWithItsErrorStatusNotTheShutdownHooksZero() throws Exception {
        ChildPipeline pipeline = new ChildPipeline("failed-start-test", KAFKA.broker().bootstrapServers(),
                dir.resolve("service"), Map.of());
        Path file = pipeline.write("topics: {events: absent-events}\n");
        try (ChildService service = ChildService.start("run-0", file, ChildService.freshLog("FailedStartTest"))) {
            int exitCode = service.awaitExit(Duration.ofSeconds(120));
            assertThat(service.logText()).contains("topics.events: topic 'absent-events' does not exist");
            // Exit status 0 would tell an orchestrator (or a systemd unit) that the service ended normally.
            assertThat(exitCode).as("exit code of a start that failed on a missing topic\n%s", service.tail())
                    .isEqualTo(2);
        }
    }

    @Test
    void sigtermMidStreamExitsZeroWithinTheBoundAndEveryConsumedEventHasItsCommittedForecastAndNoMore()
            throws Exception {
        SensorWorkload workload = SensorWorkload.generate(80, 25, 41);
        ChildPipeline pipeline = new ChildPipeline("shutdown-test", KAFKA.broker().bootstrapServers(),
                dir.resolve("service"), Map.of());
        PipelineConfig config = pipeline.config();
        PipelineTopics.ensure(config, 4);
        try (OutputCollector out = new OutputCollector(KAFKA.broker().bootstrapServers(), config);
             PacedProducer producer = new PacedProducer(KAFKA.broker().bootstrapServers(), config.topics().events(),
                     workload, 150, Integer.MAX_VALUE);
             ChildService service = ChildService.start("run-0", pipeline.write(),
                     ChildService.freshLog("GracefulShutdownTest"))) {
            try {
                service.awaitReady(Duration.ofSeconds(120));
                producer.start();
                out.await(() -> out.forecastCount() >= 600, Duration.ofSeconds(60), "600 forecasts");

                long stopAt = System.nanoTime();
                service.terminate();
                int exitCode = service.awaitExit(EXIT_BOUND);
                long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
                System.out.printf("SIGTERM to exit: %d ms; %d records acknowledged by then%n", exitMs,
                        producer.sentCount());
                assertThat(exitCode).as("exit code after SIGTERM").isZero();
                assertThat(service.logText()).as("the shutdown is logged with its duration")
                        .contains("Stopping on SIGTERM").containsPattern("Stopped in \\d+ ms");
                assertThat(producer.finished()).as("input still arriving when the service stopped").isFalse();
                assertThat(service.logText()).as("service log").doesNotContain(" ERROR ");

                // What was sent after the exit waits for a next instance; only the committed part matters here.
                producer.stop();
                Map<TopicPartition, Long> committed = committedOffsets(KAFKA.broker().bootstrapServers(), config);
                // Per partition, the records below the committed offset are the ones the service took.
                Map<String, Integer> perSensor = new LinkedHashMap<>();
                workload.bySensor().keySet().forEach(k -> perSensor.put(k, 0));
                int bad = 0;
                for (int i = 0; i < workload.records().size(); i++) {
                    SensorWorkload.Input r = workload.records().get(i);
                    PacedProducer.Sent sent = producer.sent(i);
                    if (sent == null) {
                        continue;
                    }
                    long limit = committed.getOrDefault(
                            new TopicPartition(config.topics().events(), sent.partition()), 0L);
                    if (sent.offset() < limit) {
                        if (r.valid()) {
                            perSensor.merge(r.key(), 1, Integer::sum);
                        } else {
                            bad++;
                        }
                    }
                }
                int consumed = perSensor.values().stream().mapToInt(Integer::intValue).sum();
                out.awaitAtLeast(consumed, bad, Duration.ofSeconds(30), Duration.ofSeconds(2));
                System.out.printf("committed: %d valid and %d bad records of %d sent%n", consumed, bad,
                        producer.sentCount());
                assertThat(consumed).as("valid records committed").isGreaterThanOrEqualTo(600)
                        .isLessThan(workload.validCount());
                assertThat(out.forecastCount()).as("forecasts read").isEqualTo(consumed);
                assertThat(out.deadLetterCount()).as("dead letters read").isEqualTo(bad);
                UninterruptedRun.of(config, workload.records()).assertMatches(out.bySensor(), perSensor);
            } catch (AssertionError | RuntimeException e) {
                System.out.println(service.tail());
                throw e;
            }
        }
    }

    private static Map<TopicPartition, Long> committedOffsets(String bootstrap, PipelineConfig config)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(config.name())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> events = new LinkedHashMap<>();
            offsets.forEach((tp, o) -> {
                if (tp.topic().equals(config.topics().events()) && o != null) {
                    events.put(tp, o.offset());
                }
            });
            assertThat(events.keySet()).as("partitions with committed offsets").hasSize(4);
            return events;
        }
    }
}
