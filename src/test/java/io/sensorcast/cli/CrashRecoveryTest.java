package io.sensorcast.cli;

import io.sensorcast.testing.ChildService;
import io.sensorcast.testing.CrashScenario;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.OutputCollector;
import io.sensorcast.testing.PacedProducer;
import io.sensorcast.testing.UninterruptedRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service JVM is SIGKILLed at random points while input arrives, and restarted each time; without the state
 * store's record cache (the default) and with it ({@code statestore.cache.max.bytes}), which holds states back
 * until the commit.
 */
@IntegrationTest
class CrashRecoveryTest {

    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "statestore.cache.max.bytes={0}")
    @ValueSource(strings = {"0", "10485760"})
    void serviceKilledRepeatedlyMidStreamGivesExactlyOneForecastPerValidEventEqualToAnUninterruptedRun(String cache)
            throws Exception {
        long seed = Long.getLong("sensorcast.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest seed " + seed + " (rerun with -Dsensorcast.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        try (CrashScenario scenario = CrashScenario.start("crash-test-" + cache, dir.resolve("service"),
                Map.of("statestore.cache.max.bytes", cache), "", "CrashRecoveryTest-" + cache)) {
            PacedProducer producer = scenario.producer;
            OutputCollector out = scenario.out;
            ChildService service = scenario.serveThenProduce("run-0");
            try {
                for (int kill = 1; kill <= KILLS; kill++) {
                    // Anywhere from right after start-up (restoring, rebalancing) to well into processing.
                    long delayMs = 300 + random.nextInt(4000);
                    Thread.sleep(delayMs);
                    assertThat(producer.finished()).as("producer still sending at kill %d", kill).isFalse();
                    int before = out.forecastCount();
                    service.kill();
                    System.out.printf("kill %d after %d ms: %d records acknowledged, %d forecasts read%n", kill,
                            delayMs, producer.sentCount(), before);
                    service = ChildService.start("run-" + kill, scenario.pipelineFile, scenario.log);
                    service.awaitReady(Duration.ofSeconds(120));
                }
                scenario.awaitAllOutput();

                UninterruptedRun.assertExactlyOnce(scenario.config, scenario.workload, out);
            } catch (AssertionError | RuntimeException e) {
                System.out.println(service.tail());
                throw e;
            } finally {
                service.close();
            }
        }
    }
}
