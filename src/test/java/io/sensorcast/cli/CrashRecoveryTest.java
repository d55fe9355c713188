package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.ChildPipeline;
import io.sensorcast.testing.ChildService;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.OutputCollector;
import io.sensorcast.testing.PacedProducer;
import io.sensorcast.testing.SensorWorkload;
import io.sensorcast.testing.UninterruptedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The service JVM is SIGKILLed at random points while input arrives, and restarted each time. */
@IntegrationTest
class CrashRecoveryTest {

    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @Test
    void serviceKilledRepeatedlyMidStreamGivesExactlyOneForecastPerValidEventEqualToAnUninterruptedRun()
            throws Exception {
        long seed = Long.getLong("sensorcast.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest seed " + seed + " (rerun with -Dsensorcast.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        SensorWorkload workload = SensorWorkload.generate(120, 25, 41);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            ChildPipeline pipeline = new ChildPipeline("crash-test", broker.bootstrapServers(), dir.resolve("service"),
                    Map.of());
            PipelineConfig config = pipeline.config();
            Path pipelineFile = pipeline.write();
            PipelineTopics.ensure(config, 4);
            Path log = ChildService.freshLog("CrashRecoveryTest");

            // The last tenth of the input waits until every kill is done, so each kill lands mid-stream.
            int holdFrom = workload.records().size() * 9 / 10;
            try (OutputCollector out = new OutputCollector(broker.bootstrapServers(), config);
                 PacedProducer producer = new PacedProducer(broker.bootstrapServers(), config.topics().events(),
                         workload, 120, holdFrom)) {
                ChildService service = ChildService.start("run-0", pipelineFile, log);
                try {
                    service.awaitReady(Duration.ofSeconds(120));
                    producer.start();
                    for (int kill = 1; kill <= KILLS; kill++) {
                        // Anywhere from right after start-up (restoring, rebalancing) to well into processing.
                        long delayMs = 300 + random.nextInt(4000);
                        Thread.sleep(delayMs);
                        assertThat(producer.finished()).as("producer still sending at kill %d", kill).isFalse();
                        int before = out.forecastCount();
                        service.kill();
                        System.out.printf("kill %d after %d ms: %d records acknowledged, %d forecasts read%n", kill,
                                delayMs, producer.sentCount(), before);
                        service = ChildService.start("run-" + kill, pipelineFile, log);
                        service.awaitReady(Duration.ofSeconds(120));
                    }
                    producer.awaitDone(Duration.ofSeconds(120));
                    out.awaitAtLeast(workload.validCount(), workload.badCount(), Duration.ofSeconds(120),
                            Duration.ofSeconds(2));

                    UninterruptedRun.assertExactlyOnce(config, workload, out);
                } catch (AssertionError | RuntimeException e) {
                    System.out.println(service.tail());
                    throw e;
                } finally {
                    service.close();
                }
            }
        }
    }
}
