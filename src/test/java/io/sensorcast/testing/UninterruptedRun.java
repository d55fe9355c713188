package io.sensorcast.testing;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.model.ModelFiles;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ServingModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forecasts an uninterrupted service gives for a workload: every record of every sensor through the
 * same topology (TopologyTestDriver, state serialised to its store after each event as on a broker) with
 * the same model, and the comparison of a real run against them.
 */
public final class UninterruptedRun {

    private final Map<String, List<Forecast>> expected;

    private UninterruptedRun(Map<String, List<Forecast>> expected) {
        this.expected = expected;
    }

    /** Runs {@code inputs} (every record, valid or not, in send order) through the topology with {@link ChildPipeline#MODEL}. */
    public static UninterruptedRun of(PipelineConfig config, List<SensorWorkload.Input> inputs) {
        ServingModel model = ModelSources.toServing(ModelFiles.load(ChildPipeline.MODEL));
        Map<String, List<Forecast>> expected = new LinkedHashMap<>();
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("uninterrupted-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (TopologyHarness harness = new TopologyHarness(config, model, stateDir)) {
            for (SensorWorkload.Input r : inputs) {
                harness.send(r.key(), r.json());
            }
            harness.readForecasts().forEach(f -> expected.computeIfAbsent(f.sensorId(), k -> new ArrayList<>()).add(f));
        }
        return new UninterruptedRun(expected);
    }

    public Map<String, List<Forecast>> forecasts() {
        return expected;
    }

    /**
     * Requires, per sensor, exactly steps 1..n once each (no gap, no duplicate) and forecasts equal to the
     * uninterrupted run's; {@code actual} must cover exactly the sensors and counts given.
     */
    public void assertMatches(Map<String, List<Forecast>> actual, Map<String, Integer> countPerSensor) {
        assertThat(actual.keySet()).as("sensors with forecasts").containsExactlyInAnyOrderElementsOf(
                countPerSensor.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList());
        for (var e : countPerSensor.entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            String sensor = e.getKey();
            List<Forecast> got = actual.get(sensor);
            List<Long> steps = got.stream().map(Forecast::step).toList();
            List<Long> want = LongStream.rangeClosed(1, e.getValue()).boxed().toList();
            assertThat(steps).as("steps of %s (no gap, no duplicate)", sensor).isEqualTo(want);
            assertThat(got).as("forecasts of %s against the uninterrupted run", sensor)
                    .isEqualTo(expected.get(sensor).subList(0, e.getValue()));
        }
    }

    /**
     * The whole exactly-once check of a real run that has read everything: one forecast per valid record,
     * one dead letter per bad one, and per sensor the uninterrupted run's forecasts, steps 1..n.
     */
    public static void assertExactlyOnce(PipelineConfig config, SensorWorkload workload, OutputCollector out) {
        assertThat(out.forecastCount()).as("forecasts read").isEqualTo(workload.validCount());
        assertThat(out.deadLetterCount()).as("dead letters read").isEqualTo(workload.badCount());
        Map<String, Integer> perSensor = new LinkedHashMap<>();
        workload.bySensor().forEach((k, v) -> perSensor.put(k,
                (int) v.stream().filter(SensorWorkload.Input::valid).count()));
        of(config, workload.records()).assertMatches(out.bySensor(), perSensor);
    }
}
