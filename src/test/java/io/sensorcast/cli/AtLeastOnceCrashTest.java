package io.sensorcast.cli;

import io.sensorcast.forecast.Forecast;
import io.sensorcast.testing.ChildService;
import io.sensorcast.testing.CrashScenario;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.OutputCollector;
import io.sensorcast.testing.PacedProducer;
import io.sensorcast.testing.SensorWorkload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under {@code at_least_once} the service JVM is SIGKILLed mid-stream and restarted: the replay from the last
 * committed offset redelivers events the restored state already holds, and none of them may be dead-lettered;
 * also with the state store's record cache ({@code statestore.cache.max.bytes}), which can only hold a state back
 * behind the uncached accepted-events store.
 */
@IntegrationTest
class AtLeastOnceCrashTest {

    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "statestore.cache.max.bytes={0}")
    @ValueSource(strings = {"0", "10485760"})
    void killedRepeatedlyUnderAtLeastOnceNoValidEventIsDeadLetteredAndEveryOneHasAForecast(String cache)
            throws Exception {
        long seed = Long.getLong("sensorcast.crash.seed", System.nanoTime());
        System.out.println("AtLeastOnceCrashTest seed " + seed + " (rerun with -Dsensorcast.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        try (CrashScenario scenario = CrashScenario.start("alos-crash-" + cache, dir.resolve("service"),
                Map.of("processing.guarantee", "at_least_once", "statestore.cache.max.bytes", cache),
                "instanceId: serve-0\n", "AtLeastOnceCrashTest-" + cache)) {
            SensorWorkload workload = scenario.workload;
            OutputCollector out = scenario.out;
            PacedProducer producer = scenario.producer;
            ChildService service = scenario.serveThenProduce("run-0");
            try {
                for (int kill = 1; kill <= KILLS; kill++) {
                    Thread.sleep(1000 + random.nextInt(3000));
                    assertThat(producer.finished()).as("producer still sending at kill %d", kill).isFalse();
                    service.kill();
                    service = ChildService.start("run-" + kill, scenario.pipelineFile, scenario.log);
                    service.awaitReady(Duration.ofSeconds(120));
                }
                scenario.awaitAllOutput();

                Set<String> bad = workload.records().stream().filter(r -> !r.valid())
                        .map(SensorWorkload.Input::json).collect(Collectors.toSet());
                assertThat(out.deadLetters()).as("dead letters (a bad record may be dead-lettered twice)")
                        .allSatisfy(d -> assertThat(bad).as("dead-lettered record %s (%s)", d.value(), d.reason())
                                .contains(d.value()));
                assertThat(out.deadLetters().stream().map(OutputCollector.DeadLetter::value).distinct().count())
                        .as("bad records dead-lettered").isEqualTo(workload.badCount());
                // At least once: every valid event's step has a forecast; a replay may have repeated some.
                workload.bySensor().forEach((sensor, inputs) -> {
                    long valid = inputs.stream().filter(SensorWorkload.Input::valid).count();
                    Set<Long> steps = out.bySensor().getOrDefault(sensor, List.of()).stream()
                            .map(Forecast::step).collect(Collectors.toCollection(TreeSet::new));
                    assertThat(steps).as("steps forecast for %s", sensor)
                            .isEqualTo(LongStream.rangeClosed(1, valid).boxed().collect(Collectors.toSet()));
                });
                String logText = service.logText();
                System.out.printf("%d forecasts for %d valid events; redeliveries skipped logged: %s%n",
                        out.forecastCount(), workload.validCount(), logText.contains("Skipped a redelivered event"));
            } catch (AssertionError | RuntimeException e) {
                System.out.println(service.tail());
                throw e;
            } finally {
                service.close();
            }
        }
    }
}
